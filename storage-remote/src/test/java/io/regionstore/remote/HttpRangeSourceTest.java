package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.testserver.Fault;
import io.regionstore.testserver.JettyRangeServer;
import io.regionstore.testserver.RecordedRequest;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Normal operation against a real server (Jetty 12's ResourceHandler); faults are in {@link HttpRangeSourceFaultTest}. */
class HttpRangeSourceTest {

  @TempDir Path dir;
  private JettyRangeServer server;
  private byte[] bytes;

  static HttpRangeSourceOptions.Builder fast() {
    return HttpRangeSourceOptions.builder()
        .connectTimeout(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(5))
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(4));
  }

  @BeforeEach
  void start() throws Exception {
    bytes = new byte[1 << 20];
    new Random(42).nextBytes(bytes);
    Files.write(dir.resolve("data.bin"), bytes);
    server = JettyRangeServer.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private byte[] slice(long pos, int size) {
    return Arrays.copyOfRange(bytes, (int) pos, (int) pos + size);
  }

  @Test
  void opensWithOneRequestAndLearnsLengthAndVersion() throws IOException {
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().build())) {
      assertEquals(bytes.length, source.length());
      assertEquals(server.uri("data.bin").toString(), source.description());
      List<RecordedRequest> requests = server.front().requests();
      assertEquals(1, requests.size());
      assertEquals("GET", requests.get(0).method());
      assertEquals("bytes=0-0", requests.get(0).header("Range"));
      assertNull(requests.get(0).header("If-Match"));
      // Jetty sends a weak ETag (W/"...") and Last-Modified: the version is the ETag.
      assertTrue(source.version().startsWith("W/\""), source.version());
      assertEquals(1, source.requestCount());
    }
  }

  @Test
  void readsExactBytesWithOneCheckedRequestEach() throws IOException {
    Random random = new Random(1);
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().build());
        Arena arena = Arena.ofConfined()) {
      for (int i = 0; i < 50; i++) {
        int size = 1 + random.nextInt(200_000);
        long pos = random.nextInt(bytes.length - size + 1);
        MemorySegment target = i % 2 == 0 ? arena.allocate(size) : MemorySegment.ofArray(new byte[size]);
        source.read(pos, target);
        assertArrayEquals(slice(pos, size), target.toArray(ValueLayout.JAVA_BYTE));
      }
      assertEquals(51, server.front().requestCount());
      assertEquals(51, source.requestCount());
      assertEquals(0, source.retryCount());
      // Weak ETag: the precondition is If-Unmodified-Since with the Last-Modified seen at open.
      RecordedRequest last = server.front().requests().get(50);
      assertNull(last.header("If-Match"));
      assertEquals(server.front().requests().get(0).header("Range"), "bytes=0-0");
      assertTrue(last.header("If-Unmodified-Since").endsWith(" GMT"), last.header("If-Unmodified-Since"));
      assertEquals("identity", last.header("Accept-Encoding"));
    }
  }

  @Test
  void scatterReadIsOneRequestFillingTargetsInOrder() throws IOException {
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().build());
        Arena arena = Arena.ofConfined()) {
      MemorySegment a = arena.allocate(70_000);
      MemorySegment b = MemorySegment.ofArray(new byte[0]);
      MemorySegment c = MemorySegment.ofArray(new byte[1]);
      MemorySegment d = arena.allocate(130_001);
      source.read(12_345, List.of(a, b, c, d));
      assertArrayEquals(slice(12_345, 70_000), a.toArray(ValueLayout.JAVA_BYTE));
      assertEquals(bytes[82_345], c.get(ValueLayout.JAVA_BYTE, 0));
      assertArrayEquals(slice(82_346, 130_001), d.toArray(ValueLayout.JAVA_BYTE));
      assertEquals(2, server.front().requestCount());
      assertEquals("bytes=12345-212346", server.front().requests().get(1).header("Range"));
    }
  }

  @Test
  void readPastTheEndIsEofWithoutARequest() throws IOException {
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().build())) {
      EOFException e =
          assertThrows(EOFException.class, () -> source.read(bytes.length - 10, MemorySegment.ofArray(new byte[11])));
      assertEquals(
          source.description() + ": read of 11 bytes at " + (bytes.length - 10) + " runs past the end (length " + bytes.length + ")",
          e.getMessage());
      source.read(bytes.length, MemorySegment.ofArray(new byte[0]));
      assertEquals(1, server.front().requestCount());
      MemorySegment tail = MemorySegment.ofArray(new byte[10]);
      source.read(bytes.length - 10, tail);
      assertArrayEquals(slice(bytes.length - 10, 10), tail.toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void manyThreadsReadRandomRangesExactlyWithinTheInFlightBound() throws Exception {
    int bound = 4;
    server.front().delay(Duration.ofMillis(2));
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().maxInFlight(bound).build())) {
      readConcurrently(source, 16, 25);
      assertEquals(401, server.front().requestCount());
      int max = server.front().maxInFlight();
      assertTrue(max <= bound, "in flight " + max + " > bound " + bound);
      assertTrue(max > 1, "requests never overlapped: the count cannot prove the bound");
    }
  }

  @Test
  void readsOverHttpsWithHttp2WithinTheInFlightBound() throws Exception {
    int bound = 3;
    try (JettyRangeServer tls = JettyRangeServer.startTls(dir);
        HttpRangeSource source =
            HttpRangeSource.open(
                tls.uri("data.bin"), fast().sslContext(tls.clientSslContext()).maxInFlight(bound).build())) {
      tls.front().delay(Duration.ofMillis(2));
      readConcurrently(source, 8, 10);
      List<RecordedRequest> requests = tls.front().requests();
      assertEquals(81, requests.size());
      assertTrue(requests.stream().allMatch(r -> r.protocol().equals("HTTP/2.0")), "every request over HTTP/2");
      int max = tls.front().maxInFlight();
      assertTrue(max <= bound && max > 1, "in flight " + max + ", bound " + bound);
    }
  }

  /** {@code threads} threads each read {@code reads} random ranges and check every byte. */
  private void readConcurrently(HttpRangeSource source, int threads, int reads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      AtomicInteger done = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        futures.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < reads; i++) {
                    int size = 1 + random.nextInt(20_000);
                    long pos = random.nextInt(bytes.length - size + 1);
                    MemorySegment target = MemorySegment.ofArray(new byte[size]);
                    source.read(pos, target);
                    assertArrayEquals(slice(pos, size), target.toArray(ValueLayout.JAVA_BYTE));
                    done.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      assertEquals(threads * reads, done.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void headerHookIsAskedBeforeEveryRequest() throws IOException {
    AtomicInteger token = new AtomicInteger();
    HttpRangeSourceOptions options =
        fast().headers(() -> Map.of("Authorization", "Bearer t" + token.incrementAndGet())).build();
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), options)) {
      source.read(100, MemorySegment.ofArray(new byte[10]));
      List<RecordedRequest> requests = server.front().requests();
      assertEquals("Bearer t1", requests.get(0).header("Authorization"));
      assertEquals("Bearer t2", requests.get(1).header("Authorization"));
    }
  }

  @Test
  void headerHookMayNotSetTheSourcesOwnHeaders() throws IOException {
    HttpRangeSourceOptions options = fast().headers(() -> Map.of("Range", "bytes=0-100")).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HttpRangeSource.open(server.uri("data.bin"), options));
    assertEquals("the header hook may not set Range: the range source sets it", e.getMessage());
    assertEquals(0, server.front().requestCount());
  }

  @Test
  void presignedQueryIsSentButNeverDescribed() throws IOException {
    URI presigned = URI.create(server.uri("data.bin") + "?X-Amz-Expires=60&X-Amz-Signature=secret");
    try (HttpRangeSource source = HttpRangeSource.open(presigned, fast().build())) {
      assertEquals(server.uri("data.bin").toString(), source.description());
      assertFalse(source.toString().contains("secret"), source.toString());
      assertEquals("/data.bin?X-Amz-Expires=60&X-Amz-Signature=secret", server.front().requests().get(0).target());
    }
  }

  @Test
  void userInfoAndFragmentAreNotDescribedEither() {
    assertEquals(
        "https://example.com:8443/a%20b/c.pack",
        RangeClient.describe(URI.create("https://user:pw@example.com:8443/a%20b/c.pack?sig=x#frag")));
  }

  @Test
  void emptyFileOpensWithLengthZero() throws IOException {
    Files.write(dir.resolve("empty.bin"), new byte[0]);
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("empty.bin"), fast().build())) {
      assertEquals(0, source.length());
      source.read(0, MemorySegment.ofArray(new byte[0]));
      assertThrows(EOFException.class, () -> source.read(0, MemorySegment.ofArray(new byte[1])));
      assertEquals(1, server.front().requestCount());
    }
  }

  @Test
  void missingFileIsA404NotRetried() {
    RangeRequestException e =
        assertThrows(RangeRequestException.class, () -> HttpRangeSource.open(server.uri("missing.bin"), fast().build()));
    assertEquals(404, e.status());
    assertEquals(1, e.attempts());
    assertEquals("GET " + server.uri("missing.bin") + " bytes 0-0: status 404 (not retried; attempt 1)", e.getMessage());
    assertEquals(1, server.front().requestCount());
  }

  @Test
  void strongEtagIsSentAsIfMatch() throws IOException {
    // Jetty's own ETags are weak: this one is strong, so Jetty cannot check it (preconditions dropped).
    server.front().always(Fault.all(Fault.setHeader("ETag", "\"strong-1\""), Fault.dropPreconditions()));
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().build())) {
      assertEquals("\"strong-1\"", source.version());
      MemorySegment target = MemorySegment.ofArray(new byte[1000]);
      source.read(5000, target);
      assertArrayEquals(slice(5000, 1000), target.toArray(ValueLayout.JAVA_BYTE));
      RecordedRequest read = server.front().requests().get(1);
      assertEquals("\"strong-1\"", read.header("If-Match"));
      assertNull(read.header("If-Unmodified-Since"));
    }
  }

  @Test
  void lastModifiedAloneIsTheVersion() throws IOException {
    server.front().always(Fault.removeHeaders("ETag"));
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().build())) {
      assertTrue(source.version().endsWith(" GMT"), source.version());
      MemorySegment target = MemorySegment.ofArray(new byte[1000]);
      source.read(5000, target);
      assertArrayEquals(slice(5000, 1000), target.toArray(ValueLayout.JAVA_BYTE));
      assertEquals(source.version(), server.front().requests().get(1).header("If-Unmodified-Since"));
    }
  }

  @Test
  void serverWithoutValidatorsIsRefusedAtOpen() {
    server.front().always(Fault.removeHeaders("ETag", "Last-Modified"));
    RangeProtocolException e =
        assertThrows(RangeProtocolException.class, () -> HttpRangeSource.open(server.uri("data.bin"), fast().build()));
    assertEquals(
        "GET " + server.uri("data.bin") + " bytes 0-0: the server sends neither ETag nor Last-Modified,"
            + " so a replaced file could not be detected",
        e.getMessage());
  }

  @Test
  void readsAfterCloseThrow() throws IOException {
    HttpRangeSource source = HttpRangeSource.open(server.uri("data.bin"), fast().build());
    source.close();
    IOException e = assertThrows(IOException.class, () -> source.read(0, MemorySegment.ofArray(new byte[1])));
    assertEquals("GET " + source.description() + " bytes 0-0: the source is closed", e.getMessage());
  }

  @Test
  void onlyHttpUrlsAreAccepted() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HttpRangeSource.open(URI.create("ftp://host/x?sig=secret")));
    assertEquals("not an http(s) URL with a host: ftp://host/x", e.getMessage());
  }
}
