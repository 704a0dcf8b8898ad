package io.regionstore.testserver;

import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real HTTP/1.1 file server for tests and benchmarks: Jetty 12's core {@link ResourceHandler}
 * (its own implementation of {@code Range}, {@code ETag}, {@code If-Match} and {@code
 * If-Unmodified-Since}) serving one folder on 127.0.0.1 at an ephemeral port, behind a {@link
 * FaultFront} that tests program per request.
 *
 * <pre>{@code
 * try (JettyRangeServer server = JettyRangeServer.start(folder)) {
 *   server.front().plan(Fault.status(503));        // the next request fails once
 *   server.front().delay(Duration.ofMillis(20));   // every request waits 20 ms
 *   URI uri = server.uri("index.pack");
 * }
 * }</pre>
 *
 * <p>Files are read from disk on every request (no content cache), so a file replaced in the folder
 * is served, with its new ETag and Last-Modified, from the next request on. ETags are on. Directory
 * listings are off.
 */
public final class JettyRangeServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final FaultFront front;

  private JettyRangeServer(Path folder) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty-range-server");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ResourceHandler files = new UncachedResourceHandler();
    files.setBaseResource(ResourceFactory.of(files).newResource(folder));
    files.setDirAllowed(false);
    files.setEtags(true);
    front = new FaultFront(files);
    server.setHandler(front);
  }

  /** Starts a server for the files of {@code folder}. */
  public static JettyRangeServer start(Path folder) throws Exception {
    JettyRangeServer s = new JettyRangeServer(folder.toAbsolutePath());
    s.server.start();
    return s;
  }

  /** The URL of {@code name} in the folder ({@code http://127.0.0.1:<port>/<name>}). */
  public URI uri(String name) {
    return URI.create("http://127.0.0.1:" + port() + "/" + name);
  }

  /** The port the server listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The fault-injecting front every request passes through. */
  public FaultFront front() {
    return front;
  }

  /** Stops the server and closes its connections. */
  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Jetty's default wraps the content factory in a cache that revalidates once a second. */
  private static final class UncachedResourceHandler extends ResourceHandler {
    @Override
    protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized pool) {
      return new ResourceHttpContentFactory(getBaseResource(), getMimeTypes(), pool);
    }
  }
}
