package io.regionstore.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.errors.CorruptStoreException;
import io.regionstore.remote.PublishCondition;
import io.regionstore.remote.PublishConflictException;
import io.regionstore.remote.RemoteRegionReader;
import io.regionstore.remote.RemoteStore;
import io.regionstore.testserver.Fault;
import io.regionstore.testserver.FaultProxy;
import io.regionstore.testserver.RecordedRequest;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3Publisher} against a real S3 server (through a counting, fault-injecting proxy):
 * publish and follow new versions, multipart packs, conditional publishes, failed uploads aborted.
 */
class S3PublisherTest {
  static S3Client admin;
  static String bucket;
  static FaultProxy proxy;

  @TempDir static Path packs;
  @TempDir Path cacheFolder;

  @BeforeAll
  static void setUp() throws Exception {
    admin = S3TestSupport.admin();
    bucket = S3TestSupport.bucket(admin, "publish");
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

  private static S3Options.Builder options() {
    return S3TestSupport.options(proxy.uri());
  }

  private static byte[] readAll(RemoteStore store, String name) throws IOException {
    byte[] out = new byte[(int) store.length(name)];
    try (RemoteRegionReader r = store.openReader(name)) {
      for (long at = 0; at < out.length; ) {
        MemorySegment w = r.window(at);
        long skip = at - r.windowStart(at);
        int n = (int) Math.min(w.byteSize() - skip, out.length - at);
        MemorySegment.copy(w, ValueLayout.JAVA_BYTE, skip, out, (int) at, n);
        at += n;
      }
    }
    return out;
  }

  private static SlotCache cache(Path folder) throws IOException {
    return SlotCache.open(folder, CacheOptions.defaults());
  }

  @Test
  void publishThenFollowTheNewVersion() throws IOException {
    byte[] a = TestPacks.random(1, 50_000);
    byte[] b = TestPacks.random(2, 70_000);
    Path first = TestPacks.pack(packs, "first.pack", Map.of("data", a, "same", new byte[] {1, 2, 3}));
    Path second = TestPacks.pack(packs, "second.pack", Map.of("data", b, "same", new byte[] {1, 2, 3}));
    S3Location target = new S3Location(bucket, "follow/index.pack");
    String v1 = S3Publisher.publish(first, target, options().build(), PublishCondition.absent());
    assertEquals(1, proxy.front().requestCount(), "a small pack is one PUT");
    assertEquals("PUT", proxy.front().requests().getFirst().method());
    assertEquals("*", proxy.front().requests().getFirst().header("If-None-Match"));
    try (SlotCache cache = cache(cacheFolder);
        RemoteStore store = RemoteStore.open(S3RangeSource.opener(target, options().build()), cache)) {
      assertEquals(v1, store.version());
      assertArrayEquals(a, readAll(store, "data"));
      assertFalse(store.refresh(), "nothing new yet");

      String v2 = S3Publisher.publish(second, target, options().build(), PublishCondition.version(v1));
      assertNotEquals(v1, v2);
      assertTrue(store.refresh());
      assertEquals(v2, store.version());
      assertArrayEquals(b, readAll(store, "data"));
      assertArrayEquals(new byte[] {1, 2, 3}, readAll(store, "same"));
    }
  }

  @Test
  void conditionalPublishesConflict() throws IOException {
    Path pack = TestPacks.pack(packs, "cond.pack", Map.of("x", TestPacks.random(3, 1000)));
    S3Location target = new S3Location(bucket, "cond/index.pack");
    String v1 = S3Publisher.publish(pack, target, options().build(), PublishCondition.absent());
    PublishConflictException again =
        assertThrows(PublishConflictException.class, () -> S3Publisher.publish(pack, target, options().build(), PublishCondition.absent()));
    assertTrue(again.getMessage().contains("s3://" + bucket + "/cond/index.pack"), again.getMessage());
    assertTrue(again.getMessage().contains("something is there already"), again.getMessage());
    PublishConflictException stale =
        assertThrows(
            PublishConflictException.class,
            () -> S3Publisher.publish(pack, target, options().build(), PublishCondition.version("\"0123456789abcdef0123456789abcdef\"")));
    assertTrue(stale.getMessage().contains("another version"), stale.getMessage());
    String v2 = S3Publisher.publish(pack, target, options().build(), PublishCondition.version(v1));
    assertEquals(v1, v2, "the same bytes: the same ETag");
    assertEquals(v2, S3Publisher.publish(pack, target, options().build(), PublishCondition.any()));
  }

  @Test
  void aPackLargerThanOnePartIsAMultipartUpload() throws IOException {
    byte[] big = TestPacks.random(4, (5 << 20) + 100_000);
    Path pack = TestPacks.pack(packs, "big.pack", Map.of("big", big, "small", new byte[] {9}));
    long size = Files.size(pack);
    S3Location target = new S3Location(bucket, "multi/index.pack");
    S3Options fiveMiB = options().partSize(S3Options.MIN_PART_SIZE).build();
    String v1 = S3Publisher.publish(pack, target, fiveMiB, PublishCondition.absent());
    List<RecordedRequest> sent = proxy.front().requests();
    assertEquals(
        List.of("POST", "PUT", "PUT", "POST"),
        sent.stream().map(RecordedRequest::method).toList(),
        "create, 2 parts (5 MiB and the rest of " + size + " bytes), complete");
    assertTrue(v1.endsWith("-2\""), "a multipart ETag names its part count: " + v1);
    assertEquals(size, admin.headObject(h -> h.bucket(bucket).key(target.key())).contentLength());
    try (SlotCache cache = cache(cacheFolder);
        RemoteStore store = RemoteStore.open(S3RangeSource.opener(target, options().build()), cache)) {
      assertEquals(v1, store.version());
      assertArrayEquals(big, readAll(store, "big"));
    }
    assertThrows(
        PublishConflictException.class, () -> S3Publisher.publish(pack, target, fiveMiB, PublishCondition.absent()),
        "the condition is checked at completion too");
    assertEquals("DELETE", proxy.front().requests().getLast().method(), "the refused upload was aborted");
    assertTrue(admin.listMultipartUploads(l -> l.bucket(bucket)).uploads().isEmpty(), "no parts left to pay for");
  }

  /**
   * S3 leaves the object at the key alone when an upload is aborted; S3Mock 4.11.0 deletes it
   * (checked: its AbortMultipartUpload removes the key's object too), so this test checks the
   * abort and the message, and {@link #publishThenFollowTheNewVersion} what readers see.
   */
  @Test
  void aFailedUploadIsAborted() throws IOException {
    Path big = TestPacks.pack(packs, "new.pack", Map.of("big", TestPacks.random(6, 6 << 20)));
    S3Location target = new S3Location(bucket, "aborted/index.pack");
    // create passes; both attempts at the first part fail
    proxy.front().plan(Fault.none(), Fault.status(500), Fault.status(500));
    S3Options twoAttempts = options().partSize(S3Options.MIN_PART_SIZE).maxAttempts(2).build();
    IOException e = assertThrows(IOException.class, () -> S3Publisher.publish(big, target, twoAttempts, PublishCondition.any()));
    assertEquals(
        "multipart upload s3://" + bucket + "/aborted/index.pack: status 500 (request id null; 3 requests)", e.getMessage());
    RecordedRequest last = proxy.front().requests().getLast();
    assertEquals("DELETE", last.method(), "the upload was aborted");
    assertTrue(last.target().contains("uploadId="), last.target());
    assertTrue(admin.listMultipartUploads(l -> l.bucket(bucket)).uploads().isEmpty(), "no parts left to pay for");
  }

  @Test
  void aFileThatIsNotAPackIsRefusedBeforeAnyRequest() throws IOException {
    Path junk = Files.write(packs.resolve("junk.bin"), new byte[10_000]);
    CorruptStoreException e =
        assertThrows(
            CorruptStoreException.class,
            () -> S3Publisher.publish(junk, new S3Location(bucket, "junk.pack"), options().build(), PublishCondition.any()));
    assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    assertEquals(0, proxy.front().requestCount());
  }

  @Test
  void anObjectThatIsNotAPackGetsTheBadFileError() throws IOException {
    S3TestSupport.put(admin, bucket, "not-a-pack.bin", new byte[100_000]);
    try (SlotCache cache = cache(cacheFolder)) {
      CorruptStoreException e =
          assertThrows(
              CorruptStoreException.class,
              () -> RemoteStore.open(S3RangeSource.opener(new S3Location(bucket, "not-a-pack.bin"), options().build()), cache));
      assertTrue(e.getMessage().contains("s3://" + bucket + "/not-a-pack.bin"), e.getMessage());
    }
  }
}
