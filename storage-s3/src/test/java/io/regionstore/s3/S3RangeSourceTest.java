package io.regionstore.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.remote.SourceChangedException;
import java.io.EOFException;
import java.lang.foreign.MemorySegment;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link S3RangeSource} against a real S3 server (S3Mock on 127.0.0.1): bytes, versions, missing objects. */
class S3RangeSourceTest {
  static S3Client admin;
  static String bucket;
  static byte[] data;
  static S3Options options;

  @BeforeAll
  static void setUp() throws Exception {
    admin = S3TestSupport.admin();
    bucket = S3TestSupport.bucket(admin, "range");
    data = new byte[300_000];
    new Random(42).nextBytes(data);
    S3TestSupport.put(admin, bucket, "data.bin", data);
    options = S3TestSupport.options(S3TestSupport.server().endpoint()).build();
  }

  @AfterAll
  static void tearDown() {
    admin.close();
  }

  @Test
  void readsExactBytesWithOneHeadAndOneGetPerRead() throws Exception {
    try (S3RangeSource s = S3RangeSource.open(new S3Location(bucket, "data.bin"), options)) {
      assertEquals(data.length, s.length());
      assertEquals(1, s.requestCount(), "the open is one HeadObject");
      assertTrue(s.version().startsWith("\""), s.version());
      byte[] a = new byte[1000];
      byte[] b = new byte[70_000];
      s.read(12_345, List.of(MemorySegment.ofArray(a), MemorySegment.ofArray(b)));
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 12_345, 13_345), a);
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 13_345, 83_345), b);
      byte[] tail = new byte[10];
      s.read(data.length - 10, MemorySegment.ofArray(tail));
      assertArrayEquals(java.util.Arrays.copyOfRange(data, data.length - 10, data.length), tail);
      assertEquals(3, s.requestCount());
      assertThrows(EOFException.class, () -> s.read(data.length - 5, MemorySegment.ofArray(new byte[6])));
      assertEquals("s3://" + bucket + "/data.bin", s.description());
    }
  }

  @Test
  void aReplacedObjectFailsReadsWithSourceChanged() throws Exception {
    S3TestSupport.put(admin, bucket, "replaced.bin", data);
    try (S3RangeSource s = S3RangeSource.open(new S3Location(bucket, "replaced.bin"), options)) {
      String old = s.version();
      byte[] other = data.clone();
      other[0] ^= 1;
      S3TestSupport.put(admin, bucket, "replaced.bin", other);
      SourceChangedException e =
          assertThrows(SourceChangedException.class, () -> s.read(0, MemorySegment.ofArray(new byte[100])));
      assertEquals(old, e.expectedVersion());
      assertTrue(e.getMessage().contains("s3://" + bucket + "/replaced.bin"), e.getMessage());
    }
  }

  @Test
  void aMissingKeyOrBucketIsNoSuchFileNamingIt() throws Exception {
    NoSuchFileException key =
        assertThrows(NoSuchFileException.class, () -> S3RangeSource.open(new S3Location(bucket, "nothing.pack"), options));
    assertEquals("s3://" + bucket + "/nothing.pack", key.getFile());
    assertTrue(key.getMessage().contains("no key \"nothing.pack\" in bucket \"" + bucket + "\""), key.getMessage());
    NoSuchFileException noBucket =
        assertThrows(NoSuchFileException.class, () -> S3RangeSource.open(new S3Location("no-such-bucket-here", "x.pack"), options));
    assertTrue(noBucket.getMessage().contains("no bucket \"no-such-bucket-here\""), noBucket.getMessage());
  }
}
