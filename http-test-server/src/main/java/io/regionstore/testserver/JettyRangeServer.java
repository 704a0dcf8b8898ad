package io.regionstore.testserver;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
 * <p>{@link #startTls} serves HTTPS instead, offering HTTP/2 and HTTP/1.1 through ALPN, with a
 * self-signed certificate for 127.0.0.1 that {@link #clientSslContext()} trusts.
 *
 * <p>Files are read from disk on every request (no content cache), so a file replaced in the folder
 * is served, with its new ETag and Last-Modified, from the next request on. ETags are on. Directory
 * listings are off.
 */
public final class JettyRangeServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final FaultFront front;

  private final SelfSignedTls tls;

  private JettyRangeServer(Path folder, SelfSignedTls tls) {
    this.tls = tls;
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty-range-server");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = tls == null ? new ServerConnector(server, 1, 1) : tlsConnector(server, tls);
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

  private static ServerConnector tlsConnector(Server server, SelfSignedTls tls) {
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    HttpConnectionFactory http11 = new HttpConnectionFactory(config);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
    alpn.setDefaultProtocol(http11.getProtocol());
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(tls.keyStore.toString());
    ssl.setKeyStorePassword(SelfSignedTls.PASSWORD);
    ssl.setKeyStoreType("PKCS12");
    SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());
    return new ServerConnector(server, 1, 1, tlsFactory, alpn, h2, http11);
  }

  /** Starts a plain HTTP/1.1 server for the files of {@code folder}. */
  public static JettyRangeServer start(Path folder) throws Exception {
    JettyRangeServer s = new JettyRangeServer(folder.toAbsolutePath(), null);
    s.server.start();
    return s;
  }

  /**
   * Starts an HTTPS server (HTTP/2 or HTTP/1.1, as the client picks through ALPN) for the files of
   * {@code folder}, with a new self-signed certificate (made by the JDK's keytool: about a second).
   */
  public static JettyRangeServer startTls(Path folder) throws Exception {
    JettyRangeServer s = new JettyRangeServer(folder.toAbsolutePath(), SelfSignedTls.create());
    s.server.start();
    return s;
  }

  /** A client context that trusts this server's certificate; null for a plain HTTP server. */
  public SSLContext clientSslContext() {
    return tls == null ? null : tls.clientContext;
  }

  /** The URL of {@code name} in the folder ({@code http(s)://127.0.0.1:<port>/<name>}). */
  public URI uri(String name) {
    return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port() + "/" + name);
  }

  /** The port the server listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The fault-injecting front every request passes through. */
  public FaultFront front() {
    return front;
  }

  /** Stops the server, closes its connections and deletes its key store, if any. */
  @Override
  public void close() throws IOException {
    try {
      server.stop();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("stopping the test server on port " + port() + " failed", e);
    } finally {
      if (tls != null) {
        tls.delete();
      }
    }
  }

  /** Jetty's default wraps the content factory in a cache that revalidates once a second. */
  private static final class UncachedResourceHandler extends ResourceHandler {
    @Override
    protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized pool) {
      return new ResourceHttpContentFactory(getBaseResource(), getMimeTypes(), pool);
    }
  }
}
