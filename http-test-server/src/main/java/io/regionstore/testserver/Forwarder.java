package io.regionstore.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Forwards every request to another server on loopback (method, path, query, headers, body) and
 * streams its answer back: what {@link FaultProxy} puts behind a {@link FaultFront}, so faults hit
 * a real server's traffic. Request bodies are read whole before forwarding (tests send small
 * ones); response bodies are streamed.
 */
final class Forwarder extends Handler.Abstract {

  /** Headers of one hop, or that the JDK client sets itself. */
  private static final Set<String> HOP =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer");

  private final URI upstream;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  Forwarder(URI upstream) {
    super(InvocationType.BLOCKING);
    this.upstream = upstream;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readAllBytes();
    }
    String query = request.getHttpURI().getQuery();
    URI target = upstream.resolve(request.getHttpURI().getPath() + (query == null ? "" : "?" + query));
    HttpRequest.Builder out =
        HttpRequest.newBuilder(target)
            .method(
                request.getMethod(),
                body.length == 0 && !hasBody(request)
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (HttpField f : request.getHeaders()) {
      if (!HOP.contains(f.getLowerCaseName())) {
        out.header(f.getName(), f.getValue());
      }
    }
    HttpResponse<InputStream> answer = client.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
    response.setStatus(answer.statusCode());
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!lower.equals("connection") && !lower.equals("transfer-encoding") && !lower.equals(":status")) {
                response.getHeaders().put(name, List.copyOf(values));
              }
            });
    try (InputStream in = answer.body()) {
      if (request.getMethod().equals("HEAD")) {
        callback.succeeded();
        return true;
      }
      try (OutputStream sink = Content.Sink.asOutputStream(response)) {
        in.transferTo(sink);
      }
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e);
    }
    return true;
  }

  private static boolean hasBody(Request request) {
    return request.getHeaders().contains("content-length") || request.getHeaders().contains("transfer-encoding");
  }
}
