package io.regionstore.testserver;

import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A {@link FaultFront} in front of another server on loopback (e.g. an {@link S3MockProcess}):
 * Jetty on 127.0.0.1 at an ephemeral port forwarding every request, so tests inject errors,
 * delays, cut and reset bodies and wrong headers between a client and a real server, and count
 * its requests.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(s3.endpoint())) {
 *   proxy.front().plan(Fault.resetMidBody());   // the next answer is reset half way
 *   URI endpoint = proxy.uri();                 // give this to the client instead
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final FaultFront front;

  private FaultProxy(URI upstream) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("fault-proxy");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    front = new FaultFront(new Forwarder(upstream));
    server.setHandler(front);
  }

  /** Starts a proxy forwarding to {@code upstream} ({@code http://host:port}). */
  public static FaultProxy start(URI upstream) throws Exception {
    FaultProxy p = new FaultProxy(upstream);
    p.server.start();
    return p;
  }

  /** {@code http://127.0.0.1:<port>}: where clients connect instead of the upstream server. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  /** The fault-injecting front every request passes through. */
  public FaultFront front() {
    return front;
  }

  /** Stops the proxy and closes its connections. */
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
      throw new IOException("stopping the fault proxy on port " + connector.getLocalPort() + " failed", e);
    }
  }
}
