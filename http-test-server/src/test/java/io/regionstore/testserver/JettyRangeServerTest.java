package io.regionstore.testserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture does what its javadoc says, checked with the JDK's plain HttpClient. */
class JettyRangeServerTest {

  @TempDir Path dir;
  private JettyRangeServer server;
  private HttpClient client;
  private byte[] bytes;

  @BeforeEach
  void start() throws Exception {
    bytes = new byte[100_000];
    new Random(1).nextBytes(bytes);
    Files.write(dir.resolve("f.bin"), bytes);
    server = JettyRangeServer.start(dir);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  private HttpResponse<byte[]> get(String range, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("f.bin"));
    if (range != null) {
      b.header("Range", range);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The body byte count once it reached {@code expected} or 10 s passed (writes complete just after the client has the bytes). */
  private long bodyBytesReaching(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (server.front().bodyBytes() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return server.front().bodyBytes();
  }

  private byte[] slice(int from, int toInclusive) {
    return Arrays.copyOfRange(bytes, from, toInclusive + 1);
  }

  @Test
  void servesRangesWithValidatorsAndChecksPreconditions() throws Exception {
    HttpResponse<byte[]> r = get("bytes=10-19");
    assertEquals(206, r.statusCode());
    assertArrayEquals(slice(10, 19), r.body());
    assertEquals(Optional.of("bytes 10-19/100000"), r.headers().firstValue("Content-Range"));
    String etag = r.headers().firstValue("ETag").orElseThrow();
    String modified = r.headers().firstValue("Last-Modified").orElseThrow();
    assertEquals(206, get("bytes=10-19", "If-Match", etag).statusCode());
    assertEquals(412, get("bytes=10-19", "If-Match", "\"other\"").statusCode());
    assertEquals(206, get("bytes=10-19", "If-Unmodified-Since", modified).statusCode());
    assertEquals(412, get("bytes=10-19", "If-Unmodified-Since", "Mon, 01 Jan 2001 00:00:00 GMT").statusCode());
    assertEquals(5, server.front().requestCount());
    assertEquals("http://127.0.0.1:" + server.port() + "/f.bin", server.uri("f.bin").toString());
  }

  @Test
  void planIsTakenInOrderThenTheStandingFaultThenNothingAfterReset() throws Exception {
    server.front().plan(Fault.status(503), Fault.none(), Fault.status(500)).always(Fault.status(418));
    assertEquals(503, get("bytes=0-0").statusCode());
    assertEquals(206, get("bytes=0-0").statusCode());
    assertEquals(500, get("bytes=0-0").statusCode());
    assertEquals(418, get("bytes=0-0").statusCode());
    assertEquals(418, get("bytes=0-0").statusCode());
    assertEquals(5, server.front().requestCount());
    server.front().reset();
    assertEquals(0, server.front().requestCount());
    assertEquals(206, get("bytes=0-0").statusCode());
  }

  @Test
  void recordsRequestsWithQueryAndHeaders() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.uri("f.bin") + "?sig=abc"))
            .header("Range", "bytes=1-2")
            .header("Authorization", "Bearer t")
            .build();
    client.send(request, HttpResponse.BodyHandlers.discarding());
    List<RecordedRequest> requests = server.front().requests();
    assertEquals(1, requests.size());
    assertEquals("GET", requests.get(0).method());
    assertEquals("/f.bin?sig=abc", requests.get(0).target());
    assertEquals("Bearer t", requests.get(0).header("authorization"));
    assertEquals("bytes=1-2", requests.get(0).header("RANGE"));
  }

  @Test
  void headerFaultsEditTheAnswer() throws Exception {
    server.front().plan(Fault.setHeader("Content-Range", "bytes 0-9/5"), Fault.removeHeaders("ETag", "Last-Modified"));
    HttpResponse<byte[]> set = get("bytes=10-19");
    assertEquals(Optional.of("bytes 0-9/5"), set.headers().firstValue("Content-Range"));
    assertArrayEquals(slice(10, 19), set.body());
    HttpResponse<byte[]> removed = get("bytes=10-19");
    assertEquals(Optional.empty(), removed.headers().firstValue("ETag"));
    assertEquals(Optional.empty(), removed.headers().firstValue("Last-Modified"));
    assertArrayEquals(slice(10, 19), removed.body());
  }

  @Test
  void ignoreRangeServesTheWholeFileAndDropPreconditionsServesDespiteThem() throws Exception {
    server.front().plan(Fault.ignoreRange(), Fault.dropPreconditions());
    HttpResponse<byte[]> whole = get("bytes=10-19");
    assertEquals(200, whole.statusCode());
    assertArrayEquals(bytes, whole.body());
    assertEquals(206, get("bytes=10-19", "If-Match", "\"other\"").statusCode());
    assertEquals(bytes.length + 10, bodyBytesReaching(bytes.length + 10));
  }

  @Test
  void longBodySendsMoreThanItsContentRangeSays() throws Exception {
    server.front().plan(Fault.longBody(100));
    HttpResponse<byte[]> r = get("bytes=10-19");
    assertEquals(206, r.statusCode());
    assertEquals(Optional.of("bytes 10-19/100000"), r.headers().firstValue("Content-Range"));
    assertEquals(Optional.empty(), r.headers().firstValue("Content-Length"));
    assertArrayEquals(slice(10, 119), r.body());
  }

  @Test
  void truncatedAndResetBodiesStopHalfWay() throws Exception {
    server.front().plan(Fault.truncateBody(), Fault.resetMidBody());
    IOException truncated = assertThrows(IOException.class, () -> get("bytes=0-9999"));
    assertTrue(truncated.getMessage().contains("bytes received: 5000"), truncated.toString());
    IOException reset = assertThrows(IOException.class, () -> get("bytes=0-9999"));
    assertTrue(reset.getMessage().contains("bytes received: 5000"), reset.toString());
    assertEquals(10_000, bodyBytesReaching(10_000));
    assertEquals(206, get("bytes=0-9").statusCode());
  }

  @Test
  void delaysHoldRequestsAndConcurrentOnesAreCounted() throws Exception {
    server.front().delay(Duration.ofMillis(20));
    long t0 = System.nanoTime();
    assertEquals(206, get("bytes=0-0").statusCode());
    assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(20).toNanos());
    assertEquals(1, server.front().maxInFlight());
    // Two requests held for a second each overlap at the server.
    server.front().delay(Duration.ZERO).plan(Fault.delay(Duration.ofSeconds(1)), Fault.delay(Duration.ofSeconds(1)));
    HttpRequest request = HttpRequest.newBuilder(server.uri("f.bin")).header("Range", "bytes=0-0").build();
    CompletableFuture<HttpResponse<Void>> a = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    CompletableFuture<HttpResponse<Void>> b = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    assertEquals(206, a.get().statusCode());
    assertEquals(206, b.get().statusCode());
    assertEquals(2, server.front().maxInFlight());
  }

  @Test
  void stalledBodyArrivesLate() throws Exception {
    server.front().plan(Fault.stallBody(Duration.ofMillis(300)));
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = get("bytes=0-9999");
    assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(300).toNanos());
    assertArrayEquals(slice(0, 9999), r.body());
  }

  @Test
  void aReplacedFileIsServedFromTheNextRequestOn() throws Exception {
    String before = get("bytes=0-9").headers().firstValue("ETag").orElseThrow();
    byte[] other = new byte[100_000];
    new Random(2).nextBytes(other);
    Path next = dir.resolve("next.bin");
    Files.write(next, other);
    Files.setLastModifiedTime(next, FileTime.fromMillis(Files.getLastModifiedTime(dir.resolve("f.bin")).toMillis() + 10_000));
    Files.move(next, dir.resolve("f.bin"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    HttpResponse<byte[]> after = get("bytes=0-9");
    assertArrayEquals(Arrays.copyOfRange(other, 0, 10), after.body());
    assertNotEquals(before, after.headers().firstValue("ETag").orElseThrow());
  }

  @Test
  void tlsServerSpeaksHttp2AndHttp11WithItsOwnCertificate() throws Exception {
    try (JettyRangeServer tls = JettyRangeServer.startTls(dir);
        HttpClient h2 = HttpClient.newBuilder().sslContext(tls.clientSslContext()).build();
        HttpClient h1 =
            HttpClient.newBuilder().sslContext(tls.clientSslContext()).version(HttpClient.Version.HTTP_1_1).build()) {
      assertTrue(tls.uri("f.bin").toString().startsWith("https://127.0.0.1:"));
      HttpRequest request = HttpRequest.newBuilder(tls.uri("f.bin")).header("Range", "bytes=5-14").build();
      HttpResponse<byte[]> r2 = h2.send(request, HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(HttpClient.Version.HTTP_2, r2.version());
      assertEquals(206, r2.statusCode());
      assertArrayEquals(slice(5, 14), r2.body());
      HttpResponse<byte[]> r1 = h1.send(request, HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(HttpClient.Version.HTTP_1_1, r1.version());
      assertArrayEquals(slice(5, 14), r1.body());
      assertEquals("HTTP/2.0", tls.front().requests().get(0).protocol());
      assertEquals("HTTP/1.1", tls.front().requests().get(1).protocol());
      assertEquals(null, server.clientSslContext());
    }
  }
}
