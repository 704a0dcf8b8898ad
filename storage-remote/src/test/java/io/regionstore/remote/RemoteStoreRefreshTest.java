package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionStore;
import io.regionstore.RegionWriter;
import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.pack.PackOptions;
import io.regionstore.testserver.JettyRangeServer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RemoteStore#refresh()} against files published one after another at one URL (Jetty): an
 * unchanged version costs one probe, a new one is read with the blocks of its unchanged regions
 * taken from the cache, and readers of the old version keep their bytes or fail clearly.
 */
class RemoteStoreRefreshTest {
  private static final int BLOCK = 4096;

  @TempDir Path folder;
  Path served;
  RegionStore writer;
  JettyRangeServer server;
  SlotCache cache;
  final Random random = new Random(11);
  final byte[] keep = bytes(60_000);
  final byte[] gone = bytes(40_000);
  final byte[] added = bytes(30_000);
  long mtime = System.currentTimeMillis();

  @BeforeEach
  void publishVersionOne() throws Exception {
    served = Files.createDirectories(folder.resolve("served"));
    writer = RegionStore.open(folder.resolve("store"));
    write("keep", keep);
    write("gone", gone);
    publish();
    server = JettyRangeServer.start(served);
    cache =
        SlotCache.open(
            folder.resolve("cache"),
            CacheOptions.builder().blockSize(BLOCK).initialCapacity(16 * BLOCK).maxCapacity(64 * BLOCK).build());
  }

  @AfterEach
  void close() throws Exception {
    cache.close();
    server.close();
    writer.close();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private void write(String name, byte[] content) throws IOException {
    try (RegionWriter w = writer.create(name)) {
      w.write(content, 0, content.length);
    }
  }

  /** Packs the store's last commit and moves it over the served file at once, with a new mtime. */
  private void publish() throws IOException {
    writer.syncMetadata();
    Path temp = folder.resolve("next.pack");
    Files.deleteIfExists(temp);
    writer.pack(temp, PackOptions.builder().build());
    mtime += 10_000; // Jetty's validators have a resolution of a second
    Files.setLastModifiedTime(temp, FileTime.fromMillis(mtime));
    Files.move(temp, served.resolve("live.pack"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void publishVersionTwo() throws IOException {
    writer.delete("gone");
    write("added", added);
    publish();
  }

  @Test
  void anUnchangedVersionCostsOneProbeAndChangesNothing() throws IOException {
    try (RemoteStore store = RemoteStore.open(server.uri("live.pack"), cache)) {
      String version = store.version();
      server.front().reset();
      assertTrue(store.canRefresh());
      assertFalse(store.refresh());
      assertEquals(1, server.front().requestCount(), "the probe only");
      assertEquals(version, store.version());
      assertEquals(List.of("gone", "keep"), store.list());
      assertEquals(3, store.stats().requests(), "open (probe and front) and the refresh's probe");
    }
  }

  @Test
  void aNewVersionIsReadAndItsUnchangedRegionsComeFromTheCache() throws IOException {
    try (RemoteStore store = RemoteStore.open(server.uri("live.pack"), cache)) {
      String v1 = store.version();
      try (RemoteRegionReader reader = store.openReader("keep")) {
        assertArrayEquals(keep, RemoteStoreTest.read(reader, 0, keep.length));
      }
      publishVersionTwo();
      server.front().reset();
      long before = store.stats().requests();
      assertTrue(store.refresh());
      int refreshRequests = server.front().requestCount();
      assertTrue(refreshRequests == 2 || refreshRequests == 3, "probe and front: " + refreshRequests);
      assertNotEquals(v1, store.version());
      assertEquals(List.of("added", "keep"), store.list());
      assertFalse(store.exists("gone"));
      assertThrows(NoSuchRegionException.class, () -> store.openReader("gone"));

      try (RemoteRegionReader reader = store.openReader("keep")) {
        assertTrue(reader.isLoaded(0, keep.length), "same content at the same URL: same cache keys");
        assertArrayEquals(keep, RemoteStoreTest.read(reader, 0, keep.length));
      }
      assertEquals(refreshRequests, server.front().requestCount(), "no block of \"keep\" fetched again");
      try (RemoteRegionReader reader = store.openReader("added")) {
        assertArrayEquals(added, RemoteStoreTest.read(reader, 0, added.length));
      }
      int blocksOfAdded = (added.length + BLOCK - 1) / BLOCK;
      int fetches = server.front().requestCount() - refreshRequests;
      assertTrue(fetches >= 1 && fetches <= blocksOfAdded, "fetches for \"added\": " + fetches);
      assertEquals(0, store.stats().openReaders());
      assertEquals(before + server.front().requestCount(), store.stats().requests(), "every version's requests");
    }
  }

  @Test
  void aReaderOfTheOldVersionKeepsItsCachedBytesAndFailsMissesClearly() throws IOException {
    try (RemoteStore store = RemoteStore.open(server.uri("live.pack"), cache);
        RemoteRegionReader old = store.openReader("gone")) {
      String v1 = store.version();
      byte[] first = RemoteStoreTest.read(old, 0, 5000);
      publishVersionTwo();
      assertTrue(store.refresh());
      assertEquals(1, store.stats().openReaders(), "the old reader is still open");
      assertArrayEquals(first, RemoteStoreTest.read(old, 0, 5000), "cached blocks of the old version still serve");
      assertArrayEquals(java.util.Arrays.copyOf(gone, 5000), first);
      SourceChangedException e = assertThrows(SourceChangedException.class, () -> old.window(30_000));
      assertTrue(e.getMessage().contains(server.uri("live.pack").toString()), e.getMessage());
      assertTrue(e.getMessage().contains("was replaced"), e.getMessage());
      assertEquals(v1, e.expectedVersion());
      assertFalse(old.isLoaded(30_000, 1), "nothing of the new version was cached for the old reader");
    }
  }

  @Test
  void aReaderOfTheOldVersionFetchesUnchangedContentFromTheNewVersion() throws IOException {
    try (RemoteStore store = RemoteStore.open(server.uri("live.pack"), cache);
        RemoteRegionReader old = store.openReader("keep")) {
      String v1 = store.version();
      assertArrayEquals(java.util.Arrays.copyOf(keep, 100), RemoteStoreTest.read(old, 0, 100));
      publishVersionTwo();
      SourceChangedException before = assertThrows(SourceChangedException.class, () -> old.window(9 * BLOCK));
      assertEquals(v1, before.expectedVersion(), "the store has not looked for the new version yet");
      assertTrue(store.refresh());
      server.front().reset();
      int at = 10 * BLOCK; // a block not cached
      assertArrayEquals(java.util.Arrays.copyOfRange(keep, at, at + BLOCK), RemoteStoreTest.read(old, at, BLOCK));
      assertEquals(2, server.front().requestCount(), "the refused try on version 1, then version 2");
      assertTrue(old.isLoaded(at, BLOCK));
      try (RemoteRegionReader current = store.openReader("keep")) {
        assertTrue(current.isLoaded(at, BLOCK), "one cache key for both versions' readers");
      }
    }
  }

  @Test
  void anOldVersionsSourceClosesWithItsLastReader() throws IOException {
    List<ClosingSource> opened = new ArrayList<>();
    RangeSourceOpener opener = recordingOpener(opened);
    try (RemoteStore store = RemoteStore.open(opener, cache)) {
      assertFalse(store.refresh(), "same file: no new version");
      assertEquals(2, opened.size());
      assertTrue(opened.get(1).closed, "the probe's source is closed at once");
      RemoteRegionReader reader = store.openReader("keep");
      publishVersionTwo();
      assertTrue(store.refresh());
      assertFalse(opened.get(0).closed, "version 1 still has a reader");
      assertFalse(opened.get(2).closed);
      reader.close();
      assertTrue(opened.get(0).closed, "closed with its last reader");
      publish(); // the same content again: a new file, so a new version
      assertTrue(store.refresh());
      assertTrue(opened.get(2).closed, "a version without readers closes when it is replaced");
      assertFalse(opened.get(3).closed);
    }
    assertTrue(opened.get(3).closed, "closing the store closes the current version");
  }

  @Test
  void readersOfAnUnchangedRegionNeverFailWhileVersionsChange() throws Exception {
    List<ClosingSource> opened = java.util.Collections.synchronizedList(new ArrayList<>());
    RangeSourceOpener opener = recordingOpener(opened);
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    // publishing and refreshing exclude reads: between the two, a miss rightly fails (the store
    // does not know the new version yet); what is tested is every read after the refresh
    java.util.concurrent.locks.ReadWriteLock publishing = new java.util.concurrent.locks.ReentrantReadWriteLock();
    CacheOptions eightBlocks =
        CacheOptions.builder().blockSize(BLOCK).initialCapacity(4 * BLOCK).maxCapacity(8 * BLOCK).build();
    try (SlotCache small = SlotCache.open(folder.resolve("small"), eightBlocks);
        RemoteStore store = RemoteStore.open(opener, small)) {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Random r = new Random(t);
        done.add(
            threads.submit(
                () -> {
                  while (!stop.get()) {
                    try (RemoteRegionReader reader = store.openReader("keep")) {
                      for (int i = 0; i < 10; i++) {
                        int at = r.nextInt(keep.length - 100);
                        publishing.readLock().lock();
                        try {
                          assertArrayEquals(java.util.Arrays.copyOfRange(keep, at, at + 100), readEvicted(reader, at, 100));
                        } finally {
                          publishing.readLock().unlock();
                        }
                        reads.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (int v = 0; v < 5; v++) {
        write("extra" + v, bytes(5000));
        publishing.writeLock().lock();
        try {
          publish();
          assertTrue(store.refresh());
        } finally {
          publishing.writeLock().unlock();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int before = reads.get(); reads.get() < before + 200; ) {
          // readers on the new version, and those opened before on older ones
          for (java.util.concurrent.Future<?> f : done) {
            if (f.isDone()) {
              f.get(); // a reader failed: its exception
            }
          }
          assertTrue(System.nanoTime() < deadline, "readers stalled");
          Thread.sleep(1);
        }
      }
      stop.set(true);
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertTrue(small.stats().evictions() > 0, "eight blocks for a region of fifteen: fetches throughout");
      assertEquals(0, store.stats().openReaders());
      assertEquals(6, opened.size());
      for (int i = 0; i < 5; i++) {
        assertTrue(opened.get(i).closed, "version " + (i + 1) + " retired with no reader left");
      }
      assertFalse(opened.get(5).closed);
    } finally {
      stop.set(true);
      threads.shutdownNow();
    }
  }

  /** {@link RemoteStoreTest#read}, again if a block was evicted under the copy (as inputs do). */
  private static byte[] readEvicted(RemoteRegionReader reader, long position, int length) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return RemoteStoreTest.read(reader, position, length);
      } catch (IllegalStateException evicted) {
        Thread.interrupted(); // HotSpot may deliver that error with the interrupt status set
        if (attempt == 8) {
          throw evicted;
        }
      }
    }
  }

  @Test
  void aStoreOnABareSourceCannotRefresh() throws IOException {
    try (RemoteStore store = RemoteStore.open(HttpRangeSource.open(server.uri("live.pack")), cache)) {
      assertFalse(store.canRefresh());
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, store::refresh);
      assertTrue(e.getMessage().contains(server.uri("live.pack").toString()), e.getMessage());
    }
  }

  /** Opens the served file as a local file, adding each source it opens to {@code opened}. */
  private RangeSourceOpener recordingOpener(List<ClosingSource> opened) {
    Path file = served.resolve("live.pack");
    return () -> {
      ClosingSource s = new ClosingSource(FileRangeSource.open(file));
      opened.add(s);
      return s;
    };
  }

  /** A source that records being closed. */
  private static final class ClosingSource implements RangeSource {
    private final RangeSource delegate;
    volatile boolean closed;

    ClosingSource(RangeSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public String description() {
      return delegate.description();
    }

    @Override
    public long length() {
      return delegate.length();
    }

    @Override
    public String version() {
      return delegate.version();
    }

    @Override
    public void read(long position, List<MemorySegment> targets) throws IOException {
      delegate.read(position, targets);
    }

    @Override
    public long requestCount() {
      return delegate.requestCount();
    }

    @Override
    public void close() throws IOException {
      closed = true;
      delegate.close();
    }
  }
}
