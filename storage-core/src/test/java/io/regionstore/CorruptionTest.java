package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static io.regionstore.RegionStoreTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.regionstore.catalog.CatalogSlots;
import io.regionstore.catalog.MetaPage;
import io.regionstore.errors.CorruptStoreException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages the data file's header, meta pages and catalog bodies byte by byte and checks that open
 * either falls back to the other catalog generation with exactly its content, or throws
 * CorruptStoreException naming file and offset.
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

  private Path data() {
    return dir.resolve("regionstore.data");
  }

  private long newestPage() {
    return CatalogSlots.pageOffset((int) (newestGeneration % 2));
  }

  private long olderPage() {
    return CatalogSlots.pageOffset((int) ((newestGeneration + 1) % 2));
  }

  /** [offset, length) of the catalog body the meta page at {@code pageAt} points to. */
  private long[] body(long pageAt) throws IOException {
    try (FileChannel ch = FileChannel.open(data())) {
      ByteBuffer raw = ByteBuffer.allocate(MetaPage.SIZE);
      ch.read(raw, pageAt);
      ByteBuffer header = ByteBuffer.allocate(40);
      ch.read(header, 0);
      MetaPage page = MetaPage.decode(raw.flip(), data(), pageAt, new UUID(header.getLong(24), header.getLong(32)));
      assertEquals(2, page.bodyExtents().length, "bodies this small are one extent");
      return new long[] {page.bodyExtents()[0], page.bodyLength()};
    }
  }

  /** The meta page's meaningful bytes, its checksum, and a sample of its zero padding. */
  private static long[] metaPageBytes(long pageAt) {
    java.util.List<Long> at = new java.util.ArrayList<>();
    for (int i = 0; i < 88; i++) {
      at.add(pageAt + i);
    }
    for (int i = 88; i < MetaPage.SIZE - 4; i += 97) {
      at.add(pageAt + i);
    }
    for (int i = MetaPage.SIZE - 4; i < MetaPage.SIZE; i++) {
      at.add(pageAt + i);
    }
    return at.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void everyFlippedByteOfTheNewestMetaPageFallsBackToTheOlderGeneration() throws IOException {
    flipEach(metaPageBytes(newestPage()), older, newestGeneration - 1);
  }

  @Test
  void everyFlippedByteOfTheOlderMetaPageKeepsTheNewestGeneration() throws IOException {
    flipEach(metaPageBytes(olderPage()), newest, newestGeneration);
  }

  @Test
  void everyFlippedByteOfTheNewestCatalogBodyFallsBack() throws IOException {
    long[] body = body(newestPage());
    flipEach(java.util.stream.LongStream.range(body[0], body[0] + body[1]).toArray(), older, newestGeneration - 1);
  }

  @Test
  void everyFlippedByteOfTheOlderCatalogBodyKeepsTheNewestGeneration() throws IOException {
    long[] body = body(olderPage());
    flipEach(java.util.stream.LongStream.range(body[0], body[0] + body[1]).toArray(), newest, newestGeneration);
  }

  @Test
  void aZeroedMetaPageFallsBack() throws IOException {
    try (FileChannel ch = FileChannel.open(data(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(MetaPage.SIZE), newestPage());
    }
    expectContent(older, newestGeneration - 1, "zeroed newest meta page");
  }

  @Test
  void bothMetaPagesDamagedIsACorruptStoreNamingBoth() throws IOException {
    flip(data(), newestPage() + 20);
    flip(data(), olderPage() + 20);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.open(dir, options));
    assertTrue(e.getMessage().contains("no usable catalog generation"), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + (CatalogSlots.pageOffset(0) + MetaPage.SIZE - 4)), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + (CatalogSlots.pageOffset(1) + MetaPage.SIZE - 4)), e.getMessage());
    assertThrows(CorruptStoreException.class, () -> RegionStore.openReadOnly(dir));
  }

  @Test
  void everyFlippedByteOfTheDataHeaderIsDetectedWithItsOffset() throws IOException {
    Path data = data();
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
  void truncationAtEveryPageBoundaryIsDetectedOrFallsBack() throws IOException {
    // Every 4 KiB boundary of the data file, and a byte either side: open fails naming the data
    // file, or opens with exactly the newest generation (nothing it references was cut) or
    // exactly the older one (the newest was cut, the older is whole). A read-only store, which
    // maps only whole chunks, may instead fail the read of a region in the cut chunk, naming the
    // data file. Never wrong bytes.
    byte[] original = Files.readAllBytes(data());
    int opened = 0;
    int refused = 0;
    for (long page = 0; page <= original.length; page += 4096) {
      for (long len : new long[] {page - 1, page, page + 1}) {
        if (len < 0 || len > original.length) {
          continue;
        }
        Files.write(data(), java.util.Arrays.copyOf(original, (int) len));
        for (boolean readOnly : new boolean[] {false, true}) {
          try (RegionStore store = RegionStore.open(dir, options.toBuilder().readOnly(readOnly).build())) {
            Map<String, byte[]> expected = store.generation() == newestGeneration ? newest : older;
            assertEquals(store.generation() == newestGeneration ? newestGeneration : newestGeneration - 1, store.generation());
            assertEquals(List.copyOf(expected.keySet()), store.list(), "length " + len);
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
              assertArrayEquals(e.getValue(), readAll(store, e.getKey()), "length " + len + ": " + e.getKey());
            }
            if (!readOnly) {
              store.checkSpace();
            }
            opened++;
          } catch (CorruptStoreException e) {
            assertTrue(e.getMessage().contains("regionstore.data"), e.getMessage());
            refused++;
          }
        }
      }
    }
    Files.write(data(), original);
    expectContent(newest, newestGeneration, "restored");
    assertTrue(refused > 0 && opened > 0, "refused " + refused + ", opened " + opened);
    System.out.printf("CorruptionTest: %d truncated opens refused, %d opened at a whole generation%n", refused, opened);
  }

  @Test
  void metaPagesOfAnotherStoreAreRejected() throws IOException {
    Path other = dir.resolveSibling(dir.getFileName() + "-other");
    RegionStore.open(other, options).close();
    byte[] pages = new byte[2 * MetaPage.SIZE];
    try (RandomAccessFile from = new RandomAccessFile(other.resolve("regionstore.data").toFile(), "r");
        RandomAccessFile to = new RandomAccessFile(data().toFile(), "rw")) {
      from.seek(CatalogSlots.pageOffset(0));
      from.readFully(pages);
      to.seek(CatalogSlots.pageOffset(0));
      to.write(pages);
    }
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
    flip(store.resolve("regionstore.data"), CatalogSlots.pageOffset((int) ((a + 1) % 2)) + 30);
    try (RegionStore s = RegionStore.open(store, options)) {
      assertEquals(a, s.generation());
      assertArrayEquals(bytes(20, 8000), readAll(s, "x"));
    }
  }

  private void flipEach(long[] offsets, Map<String, byte[]> expected, long generation) throws IOException {
    for (long at : offsets) {
      flip(data(), at);
      expectContent(expected, generation, "byte " + at);
      flip(data(), at);
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
