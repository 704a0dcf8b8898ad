package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionStore;
import io.regionstore.RegionWriter;
import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.errors.CorruptStoreException;
import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.StoreClosedException;
import io.regionstore.pack.PackOptions;
import io.regionstore.testserver.Fault;
import io.regionstore.testserver.JettyRangeServer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A packed store served by Jetty and read through {@link RemoteStore}: exact bytes through the
 * windows, hot copies served without a request, faults either retried to the exact bytes or
 * reported naming the region and URL with the cache left healthy, and cache keys scoped to the
 * source.
 */
class RemoteStoreTest {
  private static final int BLOCK = 4096;

  @TempDir static Path shared;
  static Path served;
  static JettyRangeServer server;
  static final Map<String, byte[]> CONTENT = new LinkedHashMap<>();

  @TempDir Path cacheFolder;
  SlotCache cache;

  @BeforeAll
  static void packAndServe() throws Exception {
    Random random = new Random(42);
    CONTENT.put("empty", new byte[0]);
    CONTENT.put("large", bytes(random, 300_000));
    CONTENT.put("medium", bytes(random, 20_000));
    CONTENT.put("small", bytes(random, 100));
    served = Files.createDirectories(shared.resolve("served"));
    try (RegionStore store = RegionStore.open(shared.resolve("store"))) {
      for (Map.Entry<String, byte[]> e : CONTENT.entrySet()) {
        try (RegionWriter w = store.create(e.getKey())) {
          w.write(e.getValue(), 0, e.getValue().length);
        }
      }
      store.syncMetadata();
      // hot: "small" whole and the first 64 bytes of "large" (as a header a reader checks at open)
      store.pack(
          served.resolve("store.pack"),
          PackOptions.builder().hotRegion("small").hotRange("large", 0, 64).build());
    }
    server = JettyRangeServer.start(served);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @BeforeEach
  void openCache() throws IOException {
    cache =
        SlotCache.open(
            cacheFolder,
            CacheOptions.builder().blockSize(BLOCK).initialCapacity(16 * BLOCK).maxCapacity(32 * BLOCK).build());
    server.front().reset();
  }

  @org.junit.jupiter.api.AfterEach
  void closeCache() throws IOException {
    cache.close();
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Reads {@code [position, position + length)} through the reader's windows. */
  static byte[] read(RemoteRegionReader reader, long position, int length) throws IOException {
    byte[] out = new byte[length];
    int done = 0;
    while (done < length) {
      long at = position + done;
      long start = reader.windowStart(at);
      MemorySegment window = reader.window(at);
      int n = (int) Math.min(length - done, window.byteSize() - (at - start));
      MemorySegment.copy(window, ValueLayout.JAVA_BYTE, at - start, out, done, n);
      done += n;
    }
    return out;
  }

  @Test
  void everyRegionReadsBackExactlyAndEveryRequestIsCounted() throws IOException {
    try (RemoteStore store = RemoteStore.open(server.uri("store.pack"), cache)) {
      assertEquals(List.of("empty", "large", "medium", "small"), store.list());
      assertEquals(2, server.front().requestCount(), "open: the source's probe and the front");
      for (Map.Entry<String, byte[]> e : CONTENT.entrySet()) {
        assertEquals(e.getValue().length, store.length(e.getKey()));
        try (RemoteRegionReader reader = store.openReader(e.getKey())) {
          assertArrayEquals(e.getValue(), read(reader, 0, e.getValue().length), e.getKey());
        }
      }
      Random random = new Random(7);
      try (RemoteRegionReader reader = store.openReader("large")) {
        for (int i = 0; i < 200; i++) {
          int at = random.nextInt(300_000 - 100);
          assertArrayEquals(java.util.Arrays.copyOfRange(CONTENT.get("large"), at, at + 100), read(reader, at, 100));
        }
      }
      RemoteStoreStats stats = store.stats();
      assertEquals(server.front().requestCount(), stats.requests());
      assertEquals(0, stats.openReaders());
      assertTrue(stats.cache().evictions() > 0, "300 KB through a 128 KiB cache evicts: " + stats.cache());
    }
  }

  @Test
  void hotCopiesAreServedFromTheFrontWithoutARequest() throws IOException {
    try (RemoteStore store = RemoteStore.open(server.uri("store.pack"), cache);
        RemoteRegionReader small = store.openReader("small");
        RemoteRegionReader large = store.openReader("large")) {
      int afterOpen = server.front().requestCount();
      assertArrayEquals(CONTENT.get("small"), read(small, 0, 100));
      assertArrayEquals(java.util.Arrays.copyOf(CONTENT.get("large"), 64), read(large, 0, 64));
      assertTrue(large.isLoaded(0, 64));
      assertFalse(large.isLoaded(0, 65), "byte 64 is in a block not fetched yet");
      assertEquals(afterOpen, server.front().requestCount(), "hot reads made no request");
      assertEquals(0, large.windowStart(10));
      assertEquals(64, large.window(10).byteSize(), "the hot copy is the window");
      assertArrayEquals(java.util.Arrays.copyOfRange(CONTENT.get("large"), 64, 200), read(large, 64, 136));
      assertEquals(afterOpen + 1, server.front().requestCount(), "one block fetched");
      assertEquals(BLOCK, large.window(100).byteSize());
    }
  }

  @Test
  void aBurstOf503IsRetriedToTheExactBytes() throws IOException {
    try (RemoteStore store = RemoteStore.open(server.uri("store.pack"), cache);
        RemoteRegionReader reader = store.openReader("large")) {
      int before = server.front().requestCount();
      server.front().plan(Fault.status(503), Fault.status(503));
      assertArrayEquals(java.util.Arrays.copyOfRange(CONTENT.get("large"), 100_000, 100_500), read(reader, 100_000, 500));
      assertEquals(before + 3, server.front().requestCount());
      assertEquals(server.front().requestCount(), store.stats().requests(), "retries are counted");
    }
  }

  @Test
  void aFailedFetchNamesTheRegionAndUrlAndLeavesTheCacheHealthy() throws IOException {
    URI presigned = URI.create(server.uri("store.pack") + "?X-Amz-Signature=secret");
    try (RemoteStore store = RemoteStore.open(presigned, cache);
        RemoteRegionReader reader = store.openReader("large")) {
      server.front().plan(Fault.setHeader("Content-Range", "bytes 0-4095/300000"));
      IOException e = assertThrows(IOException.class, () -> reader.window(150_000));
      assertTrue(e.getMessage().contains("region \"large\" at offset 150000"), e.getMessage());
      assertTrue(e.getMessage().contains(server.uri("store.pack").toString()), e.getMessage());
      assertFalse(e.getMessage().contains("secret"), e.getMessage());
      assertInstanceOf(RangeProtocolException.class, rootCause(e));
      assertFalse(reader.isLoaded(150_000, 1), "nothing of the failed fetch is cached");
      assertArrayEquals(java.util.Arrays.copyOfRange(CONTENT.get("large"), 150_000, 150_100), read(reader, 150_000, 100));
    }
  }

  @Test
  void aReplacedFileIsReportedAndCachedBlocksKeepServing() throws IOException {
    Path file = served.resolve("replaced.pack");
    Files.copy(served.resolve("store.pack"), file, StandardCopyOption.REPLACE_EXISTING);
    try (RemoteStore store = RemoteStore.open(server.uri("replaced.pack"), cache);
        RemoteRegionReader reader = store.openReader("large")) {
      byte[] first = read(reader, 0, 5000);
      byte[] other = Files.readAllBytes(file);
      other[other.length - 1] ^= 1;
      Path temp = shared.resolve("replacement");
      Files.write(temp, other);
      Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      assertArrayEquals(first, read(reader, 0, 5000), "cached blocks still serve the old version");
      SourceChangedException e = assertThrows(SourceChangedException.class, () -> reader.window(250_000));
      assertTrue(e.getMessage().contains(server.uri("replaced.pack").toString()), e.getMessage());
      assertEquals(store.version(), e.expectedVersion());
    }
  }

  @Test
  void cacheKeysAreScopedToTheSource() throws IOException {
    Files.copy(served.resolve("store.pack"), served.resolve("copy.pack"), StandardCopyOption.REPLACE_EXISTING);
    try (RemoteStore a = RemoteStore.open(server.uri("store.pack"), cache);
        RemoteRegionReader reader = a.openReader("medium")) {
      read(reader, 0, 20_000);
    }
    try (RemoteStore again = RemoteStore.open(server.uri("store.pack"), cache);
        RemoteStore copy = RemoteStore.open(server.uri("copy.pack"), cache);
        RemoteRegionReader sameSource = again.openReader("medium");
        RemoteRegionReader otherSource = copy.openReader("medium")) {
      assertTrue(sameSource.isLoaded(0, 20_000), "the same source finds its blocks again");
      assertFalse(otherSource.isLoaded(0, 1), "equal content at another source is not shared");
      int before = server.front().requestCount();
      assertArrayEquals(CONTENT.get("medium"), read(sameSource, 0, 20_000));
      assertEquals(before, server.front().requestCount());
    }
  }

  @Test
  void badInputAndMisuseAreNamed() throws IOException {
    Files.write(served.resolve("junk"), new byte[10_000]);
    CorruptStoreException corrupt =
        assertThrows(CorruptStoreException.class, () -> RemoteStore.open(server.uri("junk"), cache));
    assertTrue(corrupt.getMessage().contains(server.uri("junk").toString()), corrupt.getMessage());
    Files.write(served.resolve("tiny"), new byte[10]);
    assertThrows(CorruptStoreException.class, () -> RemoteStore.open(server.uri("tiny"), cache));
    assertThrows(IllegalArgumentException.class, () -> RemoteStore.open(URI.create("ftp://host/x"), cache));

    RemoteStore store = RemoteStore.open(server.uri("store.pack"), cache);
    NoSuchRegionException missing = assertThrows(NoSuchRegionException.class, () -> store.openReader("nope"));
    assertTrue(missing.getMessage().contains(server.uri("store.pack").toString()), missing.getMessage());
    RemoteRegionReader reader = store.openReader("medium");
    assertThrows(IndexOutOfBoundsException.class, () -> reader.window(20_000));
    assertThrows(IndexOutOfBoundsException.class, () -> reader.window(-1));
    reader.close();
    assertThrows(StoreClosedException.class, () -> reader.window(0));
    store.close();
    assertThrows(StoreClosedException.class, () -> store.openReader("medium"));
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
