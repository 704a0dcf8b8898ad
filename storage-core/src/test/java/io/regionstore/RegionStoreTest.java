package io.regionstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.RegionExistsException;
import io.regionstore.errors.StoreClosedException;
import io.regionstore.errors.StoreLockedException;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionStoreTest {
  @TempDir Path dir;

  private StoreOptions small() {
    return StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).writeBufferSize(1024).build();
  }

  static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] readAll(RegionStore store, String name) throws IOException {
    try (RegionReader r = store.openReader(name)) {
      byte[] out = new byte[Math.toIntExact(r.length())];
      r.read(0, out, 0, out.length);
      return out;
    }
  }

  static void put(RegionStore store, String name, byte[] content) throws IOException {
    try (RegionWriter w = store.create(name)) {
      w.write(content, 0, content.length);
    }
  }

  @Test
  void writeSealReadRoundTrip() throws IOException {
    byte[] content = bytes(1, 100_000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "_0.cfs", content);
      assertEquals(100_000, store.length("_0.cfs"));
      assertArrayEquals(content, readAll(store, "_0.cfs"));
      assertEquals(List.of("_0.cfs"), store.list());
      store.checkSpace();
    }
  }

  @Test
  void createdStoreHasExactlyTheStoreFiles() throws IOException {
    try (RegionStore store = RegionStore.open(dir)) {
      put(store, "a", new byte[] {1, 2, 3});
    }
    try (var files = Files.list(dir)) {
      assertEquals(
          RegionStore.STORE_FILES.stream().sorted().toList(),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void theDataFileAloneIsAWholeStore() throws IOException {
    byte[] a = bytes(13, 70_000);
    Path shipped = dir.resolve("shipped");
    try (RegionStore store = RegionStore.open(dir.resolve("built"), small())) {
      put(store, "_0.cfs", a);
      store.syncMetadata();
    }
    Files.createDirectories(shipped);
    Files.copy(dir.resolve("built").resolve("regionstore.data"), shipped.resolve("regionstore.data"));
    try (RegionStore readOnly = RegionStore.openReadOnly(shipped)) {
      assertArrayEquals(a, readAll(readOnly, "_0.cfs"));
    }
    try (RegionStore store = RegionStore.open(shipped, small())) {
      assertArrayEquals(a, readAll(store, "_0.cfs"));
      store.checkSpace();
    }
  }

  @Test
  void syncedRegionsSurviveReopenAndUnsyncedDoNot() throws IOException {
    byte[] a = bytes(2, 5000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "a", a);
      store.syncMetadata();
      put(store, "b", bytes(3, 10));
    }
    try (RegionStore store = RegionStore.open(dir, small())) {
      assertEquals(List.of("a"), store.list());
      assertArrayEquals(a, readAll(store, "a"));
      store.checkSpace();
    }
  }

  @Test
  void zeroCopySegmentsAndMultiExtentReads() throws IOException {
    // 64 KiB chunks force a 300 KB region into several extents in several chunks.
    byte[] content = bytes(4, 300_000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "big", content);
      try (RegionReader r = store.openReader("big")) {
        assertTrue(r.extentCount() >= 5, "extents: " + r.extentCount());
        long total = 0;
        for (int i = 0; i < r.extentCount(); i++) {
          MemorySegment s = r.extent(i);
          assertEquals(total, r.extentStart(i));
          for (long j = 0; j < s.byteSize(); j += 997) {
            assertEquals(content[(int) (total + j)], s.get(ValueLayout.JAVA_BYTE, j));
          }
          total += s.byteSize();
        }
        assertEquals(content.length, total);
        for (int pos : new int[] {0, 1, 65_535, 65_536, 299_999}) {
          assertEquals(content[pos], r.readByte(pos));
        }
        EOFException eof = assertThrows(EOFException.class, () -> r.readByte(300_000));
        assertTrue(eof.getMessage().contains("\"big\""), eof.getMessage());
        assertThrows(EOFException.class, () -> r.read(299_990, new byte[11], 0, 11));
      }
    }
  }

  @Test
  void prefetchLoadAndIsLoadedWorkOnTheSharedMappingWithoutSplittingIt() throws IOException {
    assertTrue(io.regionstore.mmap.MappedChunks.canPrefetch(), "tests run with --enable-native-access");
    StoreOptions oneChunk = StoreOptions.builder().chunkSize(1 << 24).firstExtentSize(4096).build();
    try (RegionStore store = RegionStore.open(dir, oneChunk)) {
      for (int i = 0; i < 200; i++) {
        put(store, "f" + i, bytes(i, 5000 + i * 100));
      }
      store.syncMetadata();
      for (int i = 0; i < 200; i++) {
        try (RegionReader r = store.openReader("f" + i)) {
          r.prefetch(0, r.length());
          r.load(100, r.length() - 100);
          assertTrue(r.isLoaded(0, r.length()), "just loaded");
          assertThrows(EOFException.class, () -> r.prefetch(1, r.length()));
        }
      }
      assertEquals(1, dataFileMappings(), "one chunk, one mapping: madvise(WILLNEED) did not split it");
      RegionReader closed = store.openReader("f0");
      closed.close();
      assertThrows(StoreClosedException.class, () -> closed.prefetch(0, 10));
    }
  }

  private long dataFileMappings() throws IOException {
    String data = dir.resolve("regionstore.data").toRealPath().toString();
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.endsWith(data)).count();
    }
  }

  @Test
  void writeBufferOverloads() throws IOException {
    byte[] content = bytes(5, 7000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      try (RegionWriter w = store.create("x")) {
        w.write(content[0]);
        w.write(content, 1, 3000);
        w.write(ByteBuffer.wrap(content, 3001, 3999));
        assertEquals(7000, w.length());
        assertEquals(7000, store.length("x"));
      }
      assertArrayEquals(content, readAll(store, "x"));
    }
  }

  @Test
  void misuseGetsSpecificExceptions() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "a", new byte[] {1, 2, 3});
      RegionExistsException dup = assertThrows(RegionExistsException.class, () -> store.create("a"));
      assertEquals("a", dup.getFile());
      assertTrue(dup.getMessage().contains(dir.toString()), dup.getMessage());

      NoSuchRegionException missing = assertThrows(NoSuchRegionException.class, () -> store.openReader("nope"));
      assertEquals("nope", missing.getFile());
      assertThrows(NoSuchRegionException.class, () -> store.length("nope"));
      assertThrows(NoSuchRegionException.class, () -> store.delete("nope"));
      assertThrows(NoSuchRegionException.class, () -> store.rename("nope", "b"));
      assertThrows(NoSuchRegionException.class, () -> store.sync(List.of("a", "nope")));
      assertThrows(RegionExistsException.class, () -> store.rename("a", "a"));

      assertThrows(IllegalArgumentException.class, () -> store.create("x/y"));
      assertThrows(IllegalArgumentException.class, () -> store.create(".."));
      assertThrows(IllegalArgumentException.class, () -> store.rename("a", "a\\b"));

      RegionWriter w = store.create("open");
      w.write(new byte[10], 0, 10);
      IllegalStateException unsealedRead = assertThrows(IllegalStateException.class, () -> store.openReader("open"));
      assertTrue(unsealedRead.getMessage().contains("still being written"));
      assertThrows(IllegalStateException.class, () -> store.rename("open", "other"));
      assertEquals(10, store.length("open"));
      w.seal();
      w.seal(); // idempotent
      IllegalStateException sealed = assertThrows(IllegalStateException.class, () -> w.write((byte) 1));
      assertTrue(sealed.getMessage().contains("write-once"), sealed.getMessage());
      assertThrows(IllegalStateException.class, () -> w.write(new byte[1], 0, 1));
      assertThrows(IllegalStateException.class, () -> w.flush());
      assertThrows(IndexOutOfBoundsException.class, () -> store.create("bounds").write(new byte[4], 3, 2));

      RegionReader r = store.openReader("a");
      r.close();
      r.close(); // idempotent
      assertThrows(StoreClosedException.class, () -> r.readByte(0));
      assertThrows(StoreClosedException.class, () -> r.extent(0));
    }
  }

  @Test
  void useAfterCloseThrowsStoreClosed() throws IOException {
    RegionStore store = RegionStore.open(dir, small());
    put(store, "a", bytes(6, 100));
    RegionReader r = store.openReader("a");
    MemorySegment view = r.extent(0);
    RegionWriter w = store.create("w");
    store.close();
    store.close(); // idempotent
    assertThrows(StoreClosedException.class, () -> store.openReader("a"));
    assertThrows(StoreClosedException.class, () -> store.create("b"));
    assertThrows(StoreClosedException.class, store::list);
    assertThrows(StoreClosedException.class, store::syncMetadata);
    assertThrows(StoreClosedException.class, () -> r.readByte(0));
    // a view a caller kept dies with the store: no access to unmapped memory
    assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
    assertThrows(StoreClosedException.class, () -> w.write(new byte[100_000], 0, 100_000));
  }

  @Test
  void deletedRegionStaysReadableForOpenReaders() throws IOException {
    byte[] a = bytes(7, 20_000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "a", a);
      store.syncMetadata();
      RegionReader r = store.openReader("a");
      store.delete("a");
      assertFalse(store.exists("a"));
      assertThrows(NoSuchRegionException.class, () -> store.openReader("a"));
      // churn: lots of new regions and catalog generations must not reuse the open region's space
      for (int i = 0; i < 50; i++) {
        put(store, "n" + i, bytes(100 + i, 20_000));
        store.syncMetadata();
      }
      store.checkSpace();
      byte[] back = new byte[a.length];
      r.read(0, back, 0, back.length);
      assertArrayEquals(a, back);
      assertEquals(20_032, store.stats().heldByReadersBytes(), "a's aligned extents, held by the reader");
      r.close();
      store.checkSpace();
      assertEquals(0, store.stats().heldByReadersBytes());
      assertTrue(store.stats().pendingFreeBytes() >= 20_032, "a's space waits for reuse");
    }
  }

  @Test
  void renameIsAtomicAndDurable() throws IOException {
    byte[] a = bytes(8, 3000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "pending_segments_2", a);
      put(store, "other", new byte[1]);
      assertThrows(RegionExistsException.class, () -> store.rename("pending_segments_2", "other"));
      store.rename("pending_segments_2", "segments_2");
      assertEquals(List.of("other", "segments_2"), store.list());
      store.syncMetadata();
    }
    try (RegionStore store = RegionStore.open(dir, small())) {
      assertArrayEquals(a, readAll(store, "segments_2"));
      assertFalse(store.exists("pending_segments_2"));
    }
  }

  @Test
  void deleteWhileWritingDiscardsTheBytesAtSeal() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      RegionWriter w = store.create("tmp");
      w.write(bytes(9, 50_000), 0, 50_000);
      store.delete("tmp");
      assertFalse(store.exists("tmp"));
      put(store, "tmp", new byte[] {42}); // the name is free again
      w.write(bytes(9, 10), 0, 10);
      w.close();
      assertArrayEquals(new byte[] {42}, readAll(store, "tmp"));
      store.checkSpace();
    }
  }

  @Test
  void emptyRegionHasNoExtents() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      store.create("empty").close();
      store.syncMetadata();
    }
    try (RegionStore store = RegionStore.open(dir, small())) {
      try (RegionReader r = store.openReader("empty")) {
        assertEquals(0, r.length());
        assertEquals(0, r.extentCount());
        assertEquals(0, r.slice(0, 0).byteSize());
        assertThrows(EOFException.class, () -> r.readByte(0));
      }
      store.checkSpace();
    }
  }

  @Test
  void existingStoreKeepsItsChunkSize() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      assertEquals(1 << 16, store.stats().chunkSize());
    }
    try (RegionStore store = RegionStore.open(dir)) {
      assertEquals(1 << 16, store.stats().chunkSize());
    }
  }

  @Test
  void secondWriterInThisJvmIsRefusedNamingTheLock() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      StoreLockedException e = assertThrows(StoreLockedException.class, () -> RegionStore.open(dir, small()));
      assertTrue(e.getMessage().contains("regionstore.lock"), e.getMessage());
    }
    RegionStore.open(dir, small()).close(); // released on close
  }

  @Test
  void readOnlyOpenOfMissingStoreFails() {
    java.nio.file.NoSuchFileException e =
        assertThrows(java.nio.file.NoSuchFileException.class, () -> RegionStore.openReadOnly(dir.resolve("none")));
    assertTrue(e.getMessage().contains("no RegionStore"), e.getMessage());
  }

  @Test
  void readOnlyStoreRefusesWritesAndSeesOnlyDurableState() throws IOException {
    try (RegionStore writer = RegionStore.open(dir, small())) {
      put(writer, "durable", bytes(10, 1000));
      writer.syncMetadata();
      put(writer, "not-yet", bytes(11, 1000));
      try (RegionStore reader = RegionStore.openReadOnly(dir)) {
        assertEquals(List.of("durable"), reader.list());
        assertArrayEquals(bytes(10, 1000), readAll(reader, "durable"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.create("x"));
        assertTrue(e.getMessage().contains("read-only"));
        assertThrows(IllegalStateException.class, () -> reader.delete("durable"));
        assertThrows(IllegalStateException.class, reader::syncMetadata);
        assertFalse(reader.refresh());
        writer.syncMetadata();
        assertTrue(reader.refresh());
        assertEquals(List.of("durable", "not-yet"), reader.list());
        assertEquals(writer.generation(), reader.generation());
      }
    }
  }

  @Test
  void readOnlyPinKeepsDeletedSpaceFromReuse() throws IOException {
    byte[] a = bytes(12, 30_000);
    try (RegionStore writer = RegionStore.open(dir, small())) {
      put(writer, "a", a);
      writer.syncMetadata();
      try (RegionStore reader = RegionStore.openReadOnly(dir)) {
        RegionReader r = reader.openReader("a");
        writer.delete("a");
        writer.syncMetadata();
        for (int i = 0; i < 40; i++) {
          put(writer, "n" + i, bytes(200 + i, 30_000));
          writer.syncMetadata();
          writer.delete("n" + i);
          writer.syncMetadata();
        }
        byte[] back = new byte[a.length];
        r.read(0, back, 0, back.length);
        assertArrayEquals(a, back, "the writer reused space a read-only reader pins");
        assertTrue(writer.stats().pendingFreeBytes() >= 30_000);
        r.close();
        assertTrue(reader.refresh());
        writer.syncMetadata();
      }
      // the reader is gone: the next allocation can release and reuse the pinned space
      writer.create("after").close();
      writer.syncMetadata();
      writer.checkSpace();
      assertTrue(writer.stats().pendingFreeBytes() < 4096, "only the previous catalog body may wait");
    }
  }
}
