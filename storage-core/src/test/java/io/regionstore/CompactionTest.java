package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static io.regionstore.RegionStoreTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  private static final long CHUNK = 1 << 16;
  @TempDir Path dir;
  private final StoreOptions options = StoreOptions.builder().chunkSize(CHUNK).firstExtentSize(4096).build();

  @Test
  void shrinksToAboutTheLiveBytesAndKeepsEveryByte() throws IOException {
    try (RegionStore store = RegionStore.open(dir, options)) {
      for (int i = 0; i < 40; i++) {
        put(store, "r" + i, bytes(i, 30_000));
      }
      store.syncMetadata();
      for (int i = 0; i < 40; i++) {
        if (i % 4 != 0) {
          store.delete("r" + i);
        }
      }
      store.syncMetadata();
      long before = store.stats().fileSize();
      CompactionResult result = store.compact();
      assertEquals(before, result.fileSizeBefore());
      long live = store.stats().liveBytes();
      assertEquals(10 * SpaceAlign.up(30_000), live);
      // live data fits in 5 chunks; chunk tails that cannot hold a whole region may add one or two
      assertTrue(result.fileSizeAfter() <= live + 3 * CHUNK, result + " live " + live);
      assertTrue(result.regionsMoved() > 0 && result.bytesMoved() == 30_000L * result.regionsMoved());
      assertEquals(result.fileSizeAfter(), store.stats().fileSize());
      store.checkSpace();
      for (int i = 0; i < 40; i += 4) {
        assertArrayEquals(bytes(i, 30_000), readAll(store, "r" + i));
      }
    }
    try (RegionStore store = RegionStore.open(dir, options)) {
      assertEquals(10, store.list().size());
      for (int i = 0; i < 40; i += 4) {
        assertArrayEquals(bytes(i, 30_000), readAll(store, "r" + i));
      }
      store.checkSpace();
    }
  }

  @Test
  void openReadersKeepReadingMovedRegionsAndPinTheirOldSpace() throws IOException {
    try (RegionStore store = RegionStore.open(dir, options)) {
      for (int i = 0; i < 10; i++) {
        put(store, "r" + i, bytes(i, 60_000));
      }
      for (int i = 0; i < 9; i++) {
        store.delete("r" + i);
      }
      store.syncMetadata();
      RegionReader reader = store.openReader("r9");
      CompactionResult first = store.compact();
      assertEquals(1, first.regionsMoved());
      byte[] back = new byte[60_000];
      reader.read(0, back, 0, back.length);
      assertArrayEquals(bytes(9, 60_000), back, "the reader still reads the old location");
      assertEquals(SpaceAlign.up(60_000), store.stats().heldByReadersBytes(), "old location held for the reader");
      store.checkSpace();
      reader.close();
      CompactionResult second = store.compact();
      assertTrue(second.fileSizeAfter() < first.fileSizeAfter(), first + " then " + second);
      assertEquals(List.of("r9"), store.list());
      assertArrayEquals(bytes(9, 60_000), readAll(store, "r9"));
      store.checkSpace();
    }
  }

  @Test
  void regionsBeingWrittenStayPut() throws IOException {
    try (RegionStore store = RegionStore.open(dir, options)) {
      put(store, "gone", bytes(1, 100_000));
      RegionWriter open = store.create("open");
      open.write(bytes(2, 50_000), 0, 50_000);
      store.delete("gone");
      store.compact();
      store.checkSpace();
      open.write(bytes(3, 50_000), 0, 50_000);
      open.close();
      byte[] expected = new byte[100_000];
      System.arraycopy(bytes(2, 50_000), 0, expected, 0, 50_000);
      System.arraycopy(bytes(3, 50_000), 0, expected, 50_000, 50_000);
      assertArrayEquals(expected, readAll(store, "open"));
    }
  }

  /** Allocation alignment, as the store applies it. */
  private static final class SpaceAlign {
    static long up(long n) {
      return io.regionstore.alloc.SpaceAllocator.align(n);
    }
  }
}
