package io.regionstore.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.remote.RangeProtocolException;
import io.regionstore.remote.RangeRequestException;
import io.regionstore.remote.SourceChangedException;
import io.regionstore.testserver.Fault;
import io.regionstore.testserver.FaultProxy;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Faults between {@link S3RangeSource} and a real S3 server: a fault-injecting proxy in front of
 * S3Mock fails, cuts, resets, stalls and rewrites answers. Transient faults are retried and give
 * exact bytes; the rest fail with exceptions that say what to do.
 */
class S3FaultTest {
  static S3Client admin;
  static String bucket;
  static byte[] data;
  static FaultProxy proxy;
  static S3Location location;

  @BeforeAll
  static void setUp() throws Exception {
    admin = S3TestSupport.admin();
    bucket = S3TestSupport.bucket(admin, "faults");
    data = new byte[200_000];
    new Random(7).nextBytes(data);
    S3TestSupport.put(admin, bucket, "data.bin", data);
    location = new S3Location(bucket, "data.bin");
    proxy = FaultProxy.start(S3TestSupport.server().endpoint());
  }

  @AfterAll
  static void tearDown() throws IOException {
    proxy.close();
    admin.close();
  }

  @BeforeEach
  void reset() {
    proxy.front().reset();
  }

  private static S3RangeSource open() throws IOException {
    return S3RangeSource.open(location, S3TestSupport.options(proxy.uri()).requestTimeout(Duration.ofMillis(1500)).build());
  }

  private static void assertReadsExactly(S3RangeSource s, int at, int length) throws IOException {
    byte[] got = new byte[length];
    s.read(at, MemorySegment.ofArray(got));
    assertArrayEquals(Arrays.copyOfRange(data, at, at + length), got);
  }

  @Test
  void transientFaultsAreRetriedAndGiveExactBytes() throws IOException {
    try (S3RangeSource s = open()) {
      for (Fault f :
          new Fault[] {Fault.status(503), Fault.resetMidBody(), Fault.truncateBody(), Fault.stallBody(Duration.ofSeconds(5)), Fault.status(500)}) {
        long before = s.requestCount();
        int seen = proxy.front().requestCount();
        proxy.front().plan(f);
        assertReadsExactly(s, 1000, 100_000);
        assertEquals(2, s.requestCount() - before, "one retry after " + f);
        assertEquals(2, proxy.front().requestCount() - seen, "the proxy saw the retry after " + f);
      }
    }
  }

  @Test
  void persistentFailureGivesUpAfterMaxAttemptsNamingTheObject() throws IOException {
    try (S3RangeSource s = open()) {
      proxy.front().always(Fault.status(503));
      RangeRequestException e = assertThrows(RangeRequestException.class, () -> assertReadsExactly(s, 0, 10));
      assertEquals(S3Options.defaults().maxAttempts(), e.attempts());
      assertEquals(503, e.status());
      assertTrue(e.getMessage().contains("GetObject " + location), e.getMessage());
    }
  }

  @Test
  void accessDeniedSaysWhichCredentialsWithoutTheSecret() {
    String denied = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
    // S3Mock does not check signatures: the proxy answers as S3 does to a key it does not accept.
    proxy.front().always(Fault.reply(403, denied));
    AccessDeniedException e = assertThrows(AccessDeniedException.class, S3FaultTest::open);
    assertEquals(location.toString(), e.getFile());
    assertTrue(e.getMessage().contains("HeadObject was denied"), e.getMessage());
    assertTrue(e.getMessage().contains("StaticCredentialsProvider"), e.getMessage());
    assertTrue(e.getMessage().contains("AKIA...WXYZ"), e.getMessage());
    assertFalse(e.getMessage().contains("test-secret"), e.getMessage());
    assertFalse(e.getMessage().contains("AKIATESTKEY0000WXYZ"), "the key id is shortened: " + e.getMessage());
  }

  @Test
  void aWrongRegionNamesTheRightOne() throws IOException {
    proxy.front().plan(Fault.all(Fault.reply(301, ""), Fault.setHeader("x-amz-bucket-region", "eu-west-1")));
    IOException head = assertThrows(IOException.class, S3FaultTest::open);
    assertTrue(head.getMessage().contains("is in region eu-west-1, not us-east-1: set the region to eu-west-1"), head.getMessage());
    try (S3RangeSource s = open()) {
      String malformed =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization"
              + " header is malformed; the region 'us-east-1' is wrong; expecting 'ap-south-1'</Message></Error>";
      proxy.front().plan(Fault.reply(400, malformed));
      IOException get = assertThrows(IOException.class, () -> assertReadsExactly(s, 0, 10));
      assertTrue(get.getMessage().contains("set the region to ap-south-1"), get.getMessage());
    }
  }

  @Test
  void wrongAnswersAreRefusedNotRetried() throws IOException {
    try (S3RangeSource s = open()) {
      proxy.front().plan(Fault.ignoreRange());
      RangeProtocolException whole = assertThrows(RangeProtocolException.class, () -> assertReadsExactly(s, 10, 10));
      assertTrue(whole.getMessage().contains("Content-Range"), whole.getMessage());
      proxy.front().plan(Fault.removeHeaders("Content-Range"));
      assertThrows(RangeProtocolException.class, () -> assertReadsExactly(s, 10, 10));
      proxy.front().plan(Fault.all(Fault.dropPreconditions(), Fault.setHeader("ETag", "\"another\"")));
      SourceChangedException changed = assertThrows(SourceChangedException.class, () -> assertReadsExactly(s, 10, 10));
      assertEquals("\"another\"", changed.actualVersion());
      assertReadsExactly(s, 10, 10); // the source still works
    }
  }

  @Test
  void missingCredentialsSayHowToGiveThem() {
    S3Options noProfile =
        S3RangeSourceProvider.options(URI.create("s3://" + bucket + "/data.bin?profile=no-such-profile-here"))
            .toBuilder()
            .endpoint(proxy.uri())
            .pathStyle(true)
            .region(S3TestSupport.REGION)
            .build();
    IOException e = assertThrows(IOException.class, () -> S3RangeSource.open(location, noProfile));
    assertTrue(e.getMessage().contains("no AWS credentials could be loaded"), e.getMessage());
    assertEquals(0, proxy.front().requestCount(), "nothing was sent unsigned");
  }
}
