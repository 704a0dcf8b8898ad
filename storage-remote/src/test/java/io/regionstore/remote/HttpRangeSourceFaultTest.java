package io.regionstore.remote;

import static io.regionstore.remote.HttpRangeSourceTest.fast;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.testserver.Fault;
import io.regionstore.testserver.JettyRangeServer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every server fault against a real server (Jetty 12's ResourceHandler behind the fault front):
 * each either retries to success with the exact bytes and request count, or fails with one
 * exception of an exact type and message; the source stays usable afterwards.
 *
 * <p>Timeouts are 1 s against faults of 2.5 s or more, so that a loaded machine does not turn a
 * normal answer into a timeout; {@link #open} clears the counters, so the open's own attempts never
 * count.
 */
class HttpRangeSourceFaultTest {

  private static final int SIZE = 1 << 20;
  private static final long POS = 100_000;
  private static final int LEN = 50_000;

  @TempDir Path dir;
  private JettyRangeServer server;
  private byte[] bytes;
  private URI uri;

  @BeforeEach
  void start() throws Exception {
    bytes = new byte[SIZE];
    new Random(7).nextBytes(bytes);
    Files.write(dir.resolve("data.bin"), bytes);
    server = JettyRangeServer.start(dir);
    uri = server.uri("data.bin");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpRangeSource open(HttpRangeSourceOptions options) throws IOException {
    HttpRangeSource source = HttpRangeSource.open(uri, options);
    server.front().reset();
    return source;
  }

  private String what() {
    return "GET " + uri + " bytes " + POS + "-" + (POS + LEN - 1);
  }

  /** Reads the test range and checks every byte. */
  private void readChecked(HttpRangeSource source) throws IOException {
    MemorySegment target = MemorySegment.ofArray(new byte[LEN]);
    source.read(POS, target);
    assertArrayEquals(Arrays.copyOfRange(bytes, (int) POS, (int) POS + LEN), target.toArray(ValueLayout.JAVA_BYTE));
  }

  private <T extends Throwable> T readFails(HttpRangeSource source, Class<T> type) {
    return assertThrows(type, () -> source.read(POS, MemorySegment.ofArray(new byte[LEN])));
  }

  /** After a fault: no fault left, and the same source reads exact bytes with one request. */
  private void assertHealthy(HttpRangeSource source) throws IOException {
    server.front().reset();
    readChecked(source);
    assertEquals(1, server.front().requestCount());
  }

  @Test
  void burstOf5xxIsRetriedToSuccess() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.status(503), Fault.status(500), Fault.status(502));
      readChecked(source);
      assertEquals(4, server.front().requestCount());
      assertEquals(3, source.retryCount());
      assertHealthy(source);
    }
  }

  @Test
  void requestTimeoutAndTooManyRequestsAreRetried() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.status(429), Fault.status(408));
      readChecked(source);
      assertEquals(3, server.front().requestCount());
    }
  }

  @Test
  void persistent5xxGivesUpAfterMaxAttempts() throws IOException {
    try (HttpRangeSource source = open(fast().maxAttempts(4).build())) {
      server.front().always(Fault.status(503));
      RangeRequestException e = readFails(source, RangeRequestException.class);
      assertEquals(what() + ": status 503; gave up after 4 attempts", e.getMessage());
      assertEquals(503, e.status());
      assertEquals(4, e.attempts());
      assertNull(e.getCause());
      assertEquals(4, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void retriesStopWhenTheRetryBudgetIsSpent() throws IOException {
    try (HttpRangeSource source = open(fast().retryBudget(Duration.ZERO).build())) {
      server.front().plan(Fault.status(503));
      RangeRequestException e = readFails(source, RangeRequestException.class);
      assertEquals(what() + ": status 503; gave up after 1 attempts: retry budget PT0S spent", e.getMessage());
      assertEquals(1, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void theRetryBudgetBoundsManyAttemptsInTime() throws IOException {
    HttpRangeSourceOptions options =
        fast()
            .maxAttempts(1000)
            .initialBackoff(Duration.ofMillis(40))
            .maxBackoff(Duration.ofMillis(40))
            .retryBudget(Duration.ofMillis(400))
            .build();
    try (HttpRangeSource source = open(options)) {
      server.front().always(Fault.status(500));
      RangeRequestException e = readFails(source, RangeRequestException.class);
      // Each backoff is at least 20 ms, so a 400 ms budget allows at most 20 retries (fewer when
      // requests are slow), far below maxAttempts.
      assertTrue(e.attempts() >= 2 && e.attempts() <= 21, "attempts " + e.attempts());
      assertEquals(e.attempts(), server.front().requestCount());
      assertEquals(
          what() + ": status 500; gave up after " + e.attempts() + " attempts: retry budget PT0.4S spent", e.getMessage());
      assertHealthy(source);
    }
  }

  @Test
  void otherClientErrorsAreNotRetried() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.status(403));
      RangeRequestException e = readFails(source, RangeRequestException.class);
      assertEquals(what() + ": status 403 (not retried; attempt 1)", e.getMessage());
      assertEquals(403, e.status());
      assertEquals(1, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void slowResponseWithinTheTimeoutSucceedsWithoutRetry() throws IOException {
    try (HttpRangeSource source = open(fast().requestTimeout(Duration.ofSeconds(5)).build())) {
      server.front().plan(Fault.delay(Duration.ofMillis(300)));
      readChecked(source);
      assertEquals(1, server.front().requestCount());
      assertEquals(0, source.retryCount());
    }
  }

  @Test
  void lateHeadersTimeOutAndAreRetried() throws IOException {
    try (HttpRangeSource source = open(fast().requestTimeout(Duration.ofSeconds(1)).build())) {
      server.front().plan(Fault.delay(Duration.ofMillis(2500)));
      readChecked(source);
      assertEquals(2, server.front().requestCount());
      assertEquals(1, source.retryCount());
    }
  }

  @Test
  void timeoutsOnEveryAttemptGiveUpNamingTheTimeout() throws IOException {
    try (HttpRangeSource source = open(fast().requestTimeout(Duration.ofSeconds(1)).maxAttempts(2).build())) {
      server.front().always(Fault.delay(Duration.ofMillis(2500)));
      RangeRequestException e = readFails(source, RangeRequestException.class);
      assertInstanceOf(HttpTimeoutException.class, e.getCause());
      assertEquals(what() + ": " + e.getCause() + "; gave up after 2 attempts", e.getMessage());
      assertEquals(-1, e.status());
      assertEquals(2, e.attempts());
      assertEquals(2, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void stalledBodyTimesOutAndIsRetried() throws IOException {
    try (HttpRangeSource source = open(fast().requestTimeout(Duration.ofSeconds(1)).build())) {
      server.front().plan(Fault.stallBody(Duration.ofSeconds(5)));
      readChecked(source);
      assertEquals(2, server.front().requestCount());
      assertEquals(1, source.retryCount());
    }
  }

  @Test
  void stalledBodyOnEveryAttemptFailsWithTheBodyTimeout() throws IOException {
    try (HttpRangeSource source = open(fast().requestTimeout(Duration.ofSeconds(1)).maxAttempts(2).build())) {
      server.front().always(Fault.stallBody(Duration.ofSeconds(10)));
      RangeRequestException e = readFails(source, RangeRequestException.class);
      HttpTimeoutException timeout = assertInstanceOf(HttpTimeoutException.class, e.getCause());
      assertEquals("body not complete within the request timeout PT1S", timeout.getMessage());
      assertEquals(what() + ": " + timeout + "; gave up after 2 attempts", e.getMessage());
      assertEquals(2, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void connectionResetMidBodyIsRetried() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.resetMidBody());
      readChecked(source);
      assertEquals(2, server.front().requestCount());
      assertEquals(1, source.retryCount());
      assertHealthy(source);
    }
  }

  @Test
  void connectionResetOnTheOnlyAttemptSaysSo() throws IOException {
    try (HttpRangeSource source = open(fast().maxAttempts(1).build())) {
      server.front().plan(Fault.resetMidBody());
      RangeRequestException e = readFails(source, RangeRequestException.class);
      assertEquals(java.net.SocketException.class, root(e).getClass());
      assertEquals("Connection reset", root(e).getMessage());
      assertTrue(e.getMessage().startsWith(what() + ": java.io.IOException: body failed after "), e.getMessage());
      assertTrue(e.getMessage().endsWith(" of " + LEN + " bytes: java.io.IOException: fixed content-length: " + LEN
          + ", bytes received: " + LEN / 2 + " (java.net.SocketException: Connection reset); gave up after 1 attempts"), e.getMessage());
      assertEquals(1, server.front().requestCount());
      assertHealthy(source);
    }
  }

  private static Throwable root(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Test
  void truncatedBodyIsRetried() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.truncateBody());
      readChecked(source);
      assertEquals(2, server.front().requestCount());
      assertEquals(1, source.retryCount());
    }
  }

  @Test
  void bodyTruncatedOnEveryAttemptGivesUp() throws IOException {
    try (HttpRangeSource source = open(fast().maxAttempts(2).build())) {
      server.front().always(Fault.truncateBody());
      RangeRequestException e = readFails(source, RangeRequestException.class);
      assertEquals(java.io.EOFException.class, root(e).getClass());
      assertTrue(e.getMessage().contains(" bytes received: " + LEN / 2 + " (java.io.EOFException: "), e.getMessage());
      assertEquals(what() + ": " + e.getCause() + "; gave up after 2 attempts", e.getMessage());
      assertEquals(2, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void wrongContentRangeIsAProtocolErrorNotRetried() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      String wrong = "bytes " + (POS + 1) + "-" + (POS + LEN) + "/" + SIZE;
      server.front().plan(Fault.setHeader("Content-Range", wrong));
      RangeProtocolException e = readFails(source, RangeProtocolException.class);
      assertEquals(
          what() + ": answered Content-Range " + wrong + ", expected bytes " + POS + "-" + (POS + LEN - 1) + "/" + SIZE,
          e.getMessage());
      assertEquals(1, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void contentRangeWithAnotherTotalIsAProtocolError() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.setHeader("Content-Range", "bytes " + POS + "-" + (POS + LEN - 1) + "/" + (SIZE + 1)));
      RangeProtocolException e = readFails(source, RangeProtocolException.class);
      assertTrue(e.getMessage().startsWith(what() + ": answered Content-Range bytes "), e.getMessage());
      assertEquals(1, server.front().requestCount());
    }
  }

  @Test
  void serverIgnoringRangeIsRefusedWithoutDownloadingTheFile() throws Exception {
    byte[] big = new byte[64 << 20];
    new Random(8).nextBytes(big);
    Files.write(dir.resolve("big.bin"), big);
    try (HttpRangeSource source = HttpRangeSource.open(server.uri("big.bin"), fast().build())) {
      server.front().reset();
      server.front().plan(Fault.ignoreRange());
      RangeProtocolException e =
          assertThrows(RangeProtocolException.class, () -> source.read(1000, MemorySegment.ofArray(new byte[100])));
      assertEquals(
          "GET " + server.uri("big.bin") + " bytes 1000-1099: the server ignored Range and answered 200 with the whole"
              + " file; the body was not read",
          e.getMessage());
      assertEquals(1, server.front().requestCount());
      // The server is stopped by the closed connection long before it has sent the file.
      long sent = waitForStableBodyBytes();
      assertTrue(sent < big.length / 2, "server sent " + sent + " of " + big.length + " bytes");
      MemorySegment after = MemorySegment.ofArray(new byte[100]);
      source.read(1000, after);
      assertArrayEquals(Arrays.copyOfRange(big, 1000, 1100), after.toArray(ValueLayout.JAVA_BYTE));
    }
  }

  private long waitForStableBodyBytes() throws InterruptedException {
    long before = -1;
    long now = server.front().bodyBytes();
    for (int i = 0; i < 50 && now != before; i++) {
      before = now;
      TimeUnit.MILLISECONDS.sleep(100);
      now = server.front().bodyBytes();
    }
    return now;
  }

  @Test
  void serverIgnoringRangeIsRefusedAtOpen() {
    server.front().plan(Fault.ignoreRange());
    RangeProtocolException e = assertThrows(RangeProtocolException.class, () -> HttpRangeSource.open(uri, fast().build()));
    assertEquals(
        "GET " + uri + " bytes 0-0: the server ignored Range and answered 200 with the whole file; the body was not read",
        e.getMessage());
  }

  @Test
  void bodyLongerThanAskedIsAProtocolError() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.longBody(1000));
      RangeProtocolException e = readFails(source, RangeProtocolException.class);
      assertEquals(what() + ": body is longer than the " + LEN + " bytes asked for", e.getMessage());
      assertEquals(1, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void contentLengthOtherThanAskedIsAProtocolError() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().plan(Fault.setHeader("Content-Length", Integer.toString(LEN + 1)));
      RangeProtocolException e = readFails(source, RangeProtocolException.class);
      assertEquals(what() + ": Content-Length " + (LEN + 1) + ", expected " + LEN, e.getMessage());
      assertEquals(1, server.front().requestCount());
      assertHealthy(source);
    }
  }

  @Test
  void anInterruptDuringBackoffEndsTheReadAtOnce() throws Exception {
    try (HttpRangeSource source =
        open(fast().initialBackoff(Duration.ofSeconds(20)).maxBackoff(Duration.ofSeconds(20)).build())) {
      server.front().always(Fault.status(503));
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  readChecked(source);
                  outcome.complete(null);
                } catch (Throwable t) {
                  outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("flag lost", t));
                }
              });
      reader.start();
      while (server.front().requestCount() == 0) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      reader.interrupt();
      Throwable t = outcome.get(10, TimeUnit.SECONDS);
      assertEquals(java.io.InterruptedIOException.class, t.getClass());
      assertEquals(what() + ": interrupted", t.getMessage());
      assertEquals(1, server.front().requestCount());
      assertHealthy(source);
    }
  }

  private void replaceFile(long seed) throws IOException {
    byte[] other = new byte[SIZE];
    new Random(seed).nextBytes(other);
    Path next = dir.resolve("next.bin");
    Files.write(next, other);
    // Later than the original by more than Last-Modified's one-second resolution.
    Files.setLastModifiedTime(next, FileTime.fromMillis(Files.getLastModifiedTime(dir.resolve("data.bin")).toMillis() + 10_000));
    Files.move(next, dir.resolve("data.bin"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void fileReplacedBetweenTwoReadsFailsThePreconditionAndIsNotRetried() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      readChecked(source);
      replaceFile(9);
      server.front().reset();
      SourceChangedException e = readFails(source, SourceChangedException.class);
      assertEquals(source.version(), e.expectedVersion());
      assertNull(e.actualVersion(), "Jetty's 412 carries no ETag");
      assertEquals(uri + " was replaced: opened at version " + source.version() + ", now a different version", e.getMessage());
      assertEquals(1, server.front().requestCount());
      // The source stays bound to the old version; a new one reads the new file.
      readFails(source, SourceChangedException.class);
      try (HttpRangeSource reopened = HttpRangeSource.open(uri, fast().build())) {
        assertFalse(reopened.version().equals(source.version()));
        MemorySegment target = MemorySegment.ofArray(new byte[LEN]);
        reopened.read(POS, target);
        byte[] expected = new byte[SIZE];
        new Random(9).nextBytes(expected);
        assertArrayEquals(Arrays.copyOfRange(expected, (int) POS, (int) POS + LEN), target.toArray(ValueLayout.JAVA_BYTE));
      }
    }
  }

  @Test
  void fileReplacedOnAServerIgnoringPreconditionsIsCaughtByTheAnswersEtag() throws IOException {
    try (HttpRangeSource source = open(fast().build())) {
      server.front().always(Fault.dropPreconditions());
      replaceFile(10);
      MemorySegment target = MemorySegment.ofArray(new byte[LEN]);
      SourceChangedException e = assertThrows(SourceChangedException.class, () -> source.read(POS, target));
      assertEquals(source.version(), e.expectedVersion());
      assertTrue(e.actualVersion().startsWith("W/\"") && !e.actualVersion().equals(source.version()), e.actualVersion());
      assertEquals(
          uri + " was replaced: opened at version " + source.version() + ", now version " + e.actualVersion(), e.getMessage());
      assertTrue(Arrays.equals(new byte[LEN], target.toArray(ValueLayout.JAVA_BYTE)), "no byte of the new file was copied");
      assertEquals(1, server.front().requestCount());
    }
  }

  @Test
  void unreachableServerIsRetriedThenNamed() throws Exception {
    try (HttpRangeSource source = open(fast().maxAttempts(2).build())) {
      server.close();
      RangeRequestException e = readFails(source, RangeRequestException.class);
      assertInstanceOf(ConnectException.class, e.getCause());
      assertEquals(2, e.attempts());
      assertTrue(e.getMessage().startsWith(what() + ": java.net.ConnectException"), e.getMessage());
    }
  }

  @Test
  void closeAbortsAReadInFlight() throws Exception {
    HttpRangeSource source = open(fast().requestTimeout(Duration.ofSeconds(30)).build());
    server.front().plan(Fault.stallBody(Duration.ofSeconds(30)));
    CompletableFuture<Throwable> read =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                readChecked(source);
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    while (server.front().requestCount() == 0) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    TimeUnit.MILLISECONDS.sleep(100);
    source.close();
    Throwable t = read.get(10, TimeUnit.SECONDS);
    assertEquals(IOException.class, t.getClass());
    assertEquals(what() + ": the source is closed", t.getMessage());
  }

  @Test
  void theQueryStringNeverAppearsInAnyException() throws Exception {
    URI presigned = URI.create(uri + "?X-Amz-Credential=AKIA&X-Amz-Signature=secret");
    HttpRangeSourceOptions options = fast().requestTimeout(Duration.ofSeconds(1)).maxAttempts(2).build();
    server.front().plan(Fault.status(404));
    assertClean(assertThrows(IOException.class, () -> HttpRangeSource.open(presigned, options)));
    server.front().plan(Fault.ignoreRange());
    assertClean(assertThrows(IOException.class, () -> HttpRangeSource.open(presigned, options)));
    try (HttpRangeSource source = HttpRangeSource.open(presigned, options)) {
      Fault[] faults = {
        Fault.status(503),
        Fault.delay(Duration.ofMillis(2500)),
        Fault.stallBody(Duration.ofMillis(2500)),
        Fault.resetMidBody(),
        Fault.truncateBody(),
        Fault.setHeader("Content-Range", "bytes 0-1/2"),
        Fault.longBody(10),
        Fault.status(403),
      };
      for (Fault fault : faults) {
        server.front().reset();
        server.front().always(fault);
        assertClean(readFails(source, IOException.class));
      }
      server.front().reset();
      assertClean(assertThrows(java.io.EOFException.class, () -> source.read(SIZE, MemorySegment.ofArray(new byte[1]))));
      replaceFile(11);
      assertClean(readFails(source, SourceChangedException.class));
    }
    server.close();
    try (HttpRangeSource source = HttpRangeSource.open(URI.create(uri + "x?X-Amz-Signature=secret"), options)) {
      throw new AssertionError("opened " + source);
    } catch (IOException e) {
      assertClean(e);
    }
  }

  /** No message or string form in the chain of {@code e} (causes, suppressed) shows the query. */
  private static void assertClean(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(t.toString().contains("secret") || t.toString().contains("X-Amz"), t.toString());
      for (Throwable s : t.getSuppressed()) {
        assertClean(s);
      }
    }
  }
}
