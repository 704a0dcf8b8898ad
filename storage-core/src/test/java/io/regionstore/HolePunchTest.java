package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static io.regionstore.RegionStoreTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.regionstore.alloc.SpaceAllocator;
import io.regionstore.catalog.CatalogSlots;
import io.regionstore.catalog.PersistedRegion;
import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import io.regionstore.io.SparseFile;
import io.regionstore.mmap.DataFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Free space, and only free space, is given back to the file system: every punched range was free
 * when punched (so neither catalog slot nor any reader could reference it) and reads as zeros,
 * every live region keeps its exact bytes, and held, pending and pinned space is never punched.
 */
class HolePunchTest {
  private static final int KIB = 1024;

  @TempDir Path dir;

  /** Ranges punched in the data file, in order. */
  private final List<long[]> punched = new ArrayList<>();
  /** Set once the store is open: each punch is checked against its space at that moment. */
  private RegionStore open;

  @BeforeEach
  void linuxOnly() {
    assumeTrue(SparseFile.supported(), "hole punching needs Linux and native access");
  }

  private StoreOptions options() {
    ChannelOpener recording =
        (path, options) ->
            new ForwardingFileChannel(FileChannel.open(path, options)) {
              @Override
              public boolean punchHoles(SparseFile file, long[] ranges) throws IOException {
                for (int i = 0; i < ranges.length; i += 2) {
                  checkUnreferenced(ranges[i], ranges[i + 1]);
                }
                boolean done = super.punchHoles(file, ranges);
                for (int i = 0; i < ranges.length; i += 2) {
                  assertZeros(file.path(), ranges[i], ranges[i + 1]);
                  punched.add(new long[] {ranges[i], ranges[i + 1]});
                }
                return done;
              }
            };
    return StoreOptions.builder()
        .chunkSize(1 << 20)
        .firstExtentSize(4096)
        .writeBufferSize(4096)
        .minHoleSize(4096)
        .channelOpener(recording)
        .build();
  }

  /** A punched range lies in free space, and neither durable generation on disk references it. */
  private void checkUnreferenced(long offset, long length) throws IOException {
    assertTrue(offset % 4096 == 0 && length % 4096 == 0 && length > 0, offset + "+" + length);
    long covered = offset; // free extents never cross a chunk boundary; a hole may
    for (long[] free : open.space.freeExtents()) {
      if (free[0] <= covered && covered < free[0] + free[1]) {
        covered = free[0] + free[1];
      }
    }
    assertTrue(covered >= offset + length, "punched [" + offset + ", +" + length + ") is not all free");
    try (DataFile data = DataFile.open(dir.resolve(DataFile.FILE_NAME), ChannelOpener.DEFAULT, true)) {
      CatalogSlots.Loaded slots = new CatalogSlots(data, SpaceAllocator.ALIGNMENT).load();
      assertDisjoint(offset, length, slots.newestBody(), "the newest catalog body");
      for (PersistedRegion r : slots.newest().regions()) {
        assertDisjoint(offset, length, r.extents(), "region " + r.name() + " of the newest generation");
      }
      if (slots.older() != null) {
        assertDisjoint(offset, length, slots.olderBody(), "the older catalog body");
        for (PersistedRegion r : slots.older().regions()) {
          assertDisjoint(offset, length, r.extents(), "region " + r.name() + " of the older generation");
        }
      }
    }
  }

  private static void assertDisjoint(long offset, long length, long[] extents, String what) {
    for (int i = 0; i < extents.length; i += 2) {
      boolean overlaps = offset < extents[i] + extents[i + 1] && extents[i] < offset + length;
      assertTrue(!overlaps, "punched [" + offset + ", +" + length + ") overlaps " + what);
    }
  }

  private static void assertZeros(Path file, long offset, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate((int) length);
      ch.read(buf, offset);
      for (int i = 0; i < length; i++) {
        if (buf.get(i) != 0) {
          throw new AssertionError("punched range [" + offset + ", +" + length + ") reads byte " + buf.get(i) + " at " + (offset + i));
        }
      }
    }
  }

  private RegionStore openStore() throws IOException {
    open = RegionStore.open(dir, options());
    return open;
  }

  private boolean anyPunchOverlaps(long[] extents) {
    for (long[] p : punched) {
      for (int i = 0; i < extents.length; i += 2) {
        if (p[0] < extents[i] + extents[i + 1] && extents[i] < p[0] + p[1]) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void randomWorkPunchesOnlyFreeSpaceAndKeepsEveryLiveByte() throws IOException {
    Random rnd = new Random(42);
    TreeMap<String, byte[]> live = new TreeMap<>();
    try (RegionStore store = openStore()) {
      for (int op = 0; op < 300; op++) {
        int dice = rnd.nextInt(10);
        if (dice < 5) {
          byte[] content = bytes(op, rnd.nextInt(3) == 0 ? rnd.nextInt(200 * KIB) : rnd.nextInt(9000));
          put(store, "r" + op, content);
          live.put("r" + op, content);
        } else if (dice < 8 && !live.isEmpty()) {
          String victim = new ArrayList<>(live.keySet()).get(rnd.nextInt(live.size()));
          store.delete(victim);
          live.remove(victim);
        } else {
          store.syncMetadata();
        }
      }
      store.syncMetadata();
      for (Map.Entry<String, byte[]> e : live.entrySet()) {
        assertArrayEquals(e.getValue(), readAll(store, e.getKey()), e.getKey());
      }
      store.checkSpace();
      assertTrue(punched.size() > 20, "punches: " + punched.size());
      long sum = punched.stream().mapToLong(p -> p[1]).sum();
      assertEquals(sum, store.stats().punchedBytes());
    }
    try (RegionStore store = RegionStore.open(dir)) {
      assertEquals(List.copyOf(live.keySet()), store.list());
      for (Map.Entry<String, byte[]> e : live.entrySet()) {
        assertArrayEquals(e.getValue(), readAll(store, e.getKey()), e.getKey() + " after reopening");
      }
    }
  }

  @Test
  void aDeletedRegionStillOpenIsNotPunchedUntilItsLastReaderCloses() throws IOException {
    byte[] x = bytes(1, 300 * KIB);
    try (RegionStore store = openStore()) {
      put(store, "x", x);
      store.syncMetadata();
      long[] extents = store.regions.get("x").extents.clone();
      RegionReader reader = store.openReader("x");
      store.delete("x");
      for (int i = 0; i < 4; i++) {
        put(store, "n" + i, bytes(10 + i, 50 * KIB));
        store.syncMetadata();
        store.delete("n" + i);
        store.syncMetadata();
      }
      assertTrue(!punched.isEmpty(), "the deleted n* were punched meanwhile");
      assertTrue(!anyPunchOverlaps(extents), "a region open in a reader was punched");
      byte[] back = new byte[x.length];
      reader.read(0, back, 0, back.length);
      assertArrayEquals(x, back);
      long allocated = store.stats().allocatedBytes();
      reader.close(); // held -> pending
      store.create("a").close();
      store.syncMetadata();
      store.create("b").close();
      store.syncMetadata(); // both slots have left x out: free, punched
      assertTrue(anyPunchOverlaps(extents), "x's space was given back once nobody could read it");
      assertTrue(allocated - store.stats().allocatedBytes() >= x.length - 8 * KIB,
          "allocated " + allocated + " -> " + store.stats().allocatedBytes());
      store.checkSpace();
    }
  }

  @Test
  void spaceAReadOnlyProcessPinsIsNotPunched() throws IOException {
    byte[] a = bytes(12, 300 * KIB);
    try (RegionStore writer = openStore()) {
      put(writer, "a", a);
      writer.syncMetadata();
      long[] extents = writer.regions.get("a").extents.clone();
      try (RegionStore reader = RegionStore.openReadOnly(dir)) {
        RegionReader r = reader.openReader("a");
        writer.delete("a");
        writer.syncMetadata();
        for (int i = 0; i < 6; i++) {
          put(writer, "n" + i, bytes(200 + i, 30 * KIB));
          writer.syncMetadata();
          writer.delete("n" + i);
          writer.syncMetadata();
        }
        assertTrue(!punched.isEmpty());
        assertTrue(!anyPunchOverlaps(extents), "space a read-only reader pins was punched");
        byte[] back = new byte[a.length];
        r.read(0, back, 0, back.length);
        assertArrayEquals(a, back);
        r.close();
        assertTrue(reader.refresh());
      }
      writer.create("after").close();
      writer.syncMetadata();
      assertTrue(anyPunchOverlaps(extents), "the reader is gone: a's space is given back");
      writer.checkSpace();
    }
  }

  @Test
  void spaceOnlyTheOlderGenerationReferencesIsNotPunchedSoAFallbackReadsIt() throws IOException {
    byte[] x = bytes(20, 300 * KIB);
    long a;
    try (RegionStore store = openStore()) {
      put(store, "x", x);
      store.syncMetadata();
      a = store.generation();
      long[] extents = store.regions.get("x").extents.clone();
      store.delete("x");
      store.syncMetadata(); // generation a + 1 leaves x out; slot a still names it
      assertTrue(!anyPunchOverlaps(extents), "space of the older durable generation was punched");
    }
    CorruptionTest.flip(dir.resolve(DataFile.FILE_NAME), CatalogSlots.pageOffset((int) ((a + 1) % 2)) + 30);
    try (RegionStore store = RegionStore.open(dir)) {
      assertEquals(a, store.generation());
      assertArrayEquals(x, readAll(store, "x"));
    }
  }

  @Test
  void allocatedBytesFollowLiveBytes() throws IOException {
    try (RegionStore store = openStore()) {
      for (int i = 0; i < 16; i++) {
        put(store, "r" + i, bytes(i, 256 * KIB));
      }
      store.syncMetadata();
      StoreStats full = store.stats();
      assertEquals(SparseFile.of(dir.resolve(DataFile.FILE_NAME)).allocatedBytes(), full.allocatedBytes());
      assertTrue(full.allocatedBytes() >= 16 * 256 * KIB, "allocated " + full.allocatedBytes());
      for (int i = 1; i < 16; i++) {
        store.delete("r" + i);
      }
      store.syncMetadata();
      store.syncMetadata(); // nothing changed: no generation, so nothing more becomes free
      store.create("x").close();
      store.syncMetadata(); // both slots leave r1..r15 out: they are free and given back
      StoreStats after = store.stats();
      // r0, and a few pages besides: header and meta pages (3), the two newest catalog bodies and
      // the pages they share with free fragments too small to punch
      assertTrue(after.allocatedBytes() <= after.liveBytes() + 32 * KIB,
          "allocated " + after.allocatedBytes() + ", live " + after.liveBytes());
      assertEquals(after.allocatedBytes(), SparseFile.of(dir.resolve(DataFile.FILE_NAME)).allocatedBytes());
      assertTrue(after.punchedBytes() >= 15 * 256 * KIB, "punched " + after.punchedBytes());
    }
  }

  @Test
  void aMinimumHoleSizeOfZeroPunchesNothing() throws IOException {
    try (RegionStore store = RegionStore.open(dir, options().toBuilder().minHoleSize(0).build())) {
      open = store;
      put(store, "r", bytes(3, 512 * KIB));
      store.syncMetadata();
      store.delete("r");
      store.syncMetadata();
      store.create("x").close();
      store.syncMetadata();
      assertEquals(List.of(), punched);
      assertEquals(0, store.stats().punchedBytes());
      assertTrue(store.stats().allocatedBytes() >= 512 * KIB);
    }
  }
}
