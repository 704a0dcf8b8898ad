package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static io.regionstore.RegionStoreTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages store files byte by byte and checks that open either falls back to the other catalog
 * generation with exactly its content, or throws CorruptStoreException naming file and offset.
 */
class CorruptionTest {
  @TempDir Path dir;
  private final StoreOptions options = StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).build();
  private long newestGeneration;
  private final Map<String, byte[]> newest = new TreeMap<>();
  private final Map<String, byte[]> older = new TreeMap<>();

  @BeforeEach
  void twoGenerations() throws IOException {
    try (RegionStore store = RegionStore.open(dir, options)) {
      put(store, "_0.cfs", bytes(1, 5000));
      put(store, "segments_1", bytes(2, 300));
      store.syncMetadata();
      older.put("_0.cfs", bytes(1, 5000));
      older.put("segments_1", bytes(2, 300));
      put(store, "_1.cfs", bytes(3, 7000));
      store.delete("segments_1");
      put(store, "segments_2", bytes(4, 310));
      store.syncMetadata();
      newest.put("_0.cfs", bytes(1, 5000));
      newest.put("_1.cfs", bytes(3, 7000));
      newest.put("segments_2", bytes(4, 310));
      newestGeneration = store.generation();
    }
  }

  private Path newestSlot() {
    return dir.resolve("regionstore.catalog-" + (newestGeneration % 2));
  }

  private Path olderSlot() {
    return dir.resolve("regionstore.catalog-" + ((newestGeneration + 1) % 2));
  }

  @Test
  void everyFlippedByteOfTheNewestSlotFallsBackToTheOlderGeneration() throws IOException {
    flipEachByte(newestSlot(), older, newestGeneration - 1);
  }

  @Test
  void everyFlippedByteOfTheOlderSlotKeepsTheNewestGeneration() throws IOException {
    flipEachByte(olderSlot(), newest, newestGeneration);
  }

  @Test
  void everyTruncationOfASlotFallsBack() throws IOException {
    byte[] original = Files.readAllBytes(newestSlot());
    for (int len = 0; len < original.length; len++) {
      Files.write(newestSlot(), java.util.Arrays.copyOf(original, len));
      expectContent(older, newestGeneration - 1, "newest slot cut to " + len);
    }
    Files.write(newestSlot(), original);
    expectContent(newest, newestGeneration, "restored");
  }

  @Test
  void bothSlotsDamagedIsACorruptStoreNamingBoth() throws IOException {
    flip(newestSlot(), 20);
    flip(olderSlot(), 20);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.open(dir, options));
    assertTrue(e.getMessage().contains("regionstore.catalog-0"), e.getMessage());
    assertTrue(e.getMessage().contains("regionstore.catalog-1"), e.getMessage());
    assertThrows(CorruptStoreException.class, () -> RegionStore.openReadOnly(dir));
  }

  @Test
  void missingSlotIsReported() throws IOException {
    Files.delete(olderSlot());
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.open(dir, options));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void everyFlippedByteOfTheDataHeaderIsDetectedWithItsOffset() throws IOException {
    Path data = dir.resolve("regionstore.data");
    for (int i = 0; i < 52; i++) {
      flip(data, i);
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.open(dir, options), "byte " + i);
      assertTrue(e.getMessage().contains("regionstore.data"), e.getMessage());
      assertTrue(e.offset() >= 0 && e.offset() <= 48, "offset " + e.offset());
      assertThrows(CorruptStoreException.class, () -> RegionStore.openReadOnly(dir), "byte " + i);
      flip(data, i);
    }
    expectContent(newest, newestGeneration, "restored");
  }

  @Test
  void truncatedDataFileIsDetected() throws IOException {
    Path data = dir.resolve("regionstore.data");
    for (long len : new long[] {0, 100, 4095, 4096, 8000}) {
      try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
        f.setLength(len);
      }
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.open(dir, options), "length " + len);
      assertTrue(e.getMessage().contains("regionstore.data"), e.getMessage());
    }
  }

  @Test
  void catalogOfAnotherStoreIsRejected() throws IOException {
    Path other = dir.resolveSibling(dir.getFileName() + "-other");
    RegionStore.open(other, options).close();
    Files.copy(other.resolve("regionstore.catalog-0"), dir.resolve("regionstore.catalog-0"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(other.resolve("regionstore.catalog-1"), dir.resolve("regionstore.catalog-1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.open(dir, options));
    assertTrue(e.getMessage().contains("belongs to store"), e.getMessage());
  }

  @Test
  void fallbackAfterAReuseStillReadsTheOlderGenerationsBytes() throws IOException {
    // x is in generation A and deleted in A+1. y is then written, sealed and flushed, but its
    // catalog generation never written. If y had reused x's space, a damaged A+1 slot (fallback
    // to A) would show y's bytes as x's: space is reusable only once both slots leave it out.
    Path store = dir.resolve("reuse");
    long a;
    try (RegionStore s = RegionStore.open(store, options)) {
      put(s, "x", bytes(20, 8000));
      s.syncMetadata();
      a = s.generation();
      s.delete("x");
      s.syncMetadata();
      put(s, "y", bytes(21, 8000));
      s.sync(List.of("y"));
    }
    flip(store.resolve("regionstore.catalog-" + ((a + 1) % 2)), 30);
    try (RegionStore s = RegionStore.open(store, options)) {
      assertEquals(a, s.generation());
      assertArrayEquals(bytes(20, 8000), readAll(s, "x"));
    }
  }

  private void flipEachByte(Path slot, Map<String, byte[]> expected, long generation) throws IOException {
    long size = Files.size(slot);
    for (int i = 0; i < size; i++) {
      flip(slot, i);
      expectContent(expected, generation, slot.getFileName() + " byte " + i);
      flip(slot, i);
    }
    expectContent(newest, newestGeneration, "restored");
  }

  private void expectContent(Map<String, byte[]> expected, long generation, String what) throws IOException {
    for (boolean readOnly : new boolean[] {false, true}) {
      try (RegionStore store = RegionStore.open(dir, options.toBuilder().readOnly(readOnly).build())) {
        assertEquals(generation, store.generation(), what);
        assertEquals(List.copyOf(expected.keySet()), store.list(), what);
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
          assertArrayEquals(e.getValue(), readAll(store, e.getKey()), what + ": " + e.getKey());
        }
        if (!readOnly) {
          store.checkSpace();
        }
      } catch (CorruptStoreException e) {
        fail(what + ": expected a fallback, got " + e.getMessage(), e);
      }
    }
  }

  static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x5A);
    }
  }
}
