package io.regionstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store of 100,000 regions survives a reopen intact. Prints how long the open took and the heap
 * it holds per region; those figures are reported, never asserted (timing is the benchmarks' job).
 */
class ScaleTest {
  private static final int REGIONS = 100_000;
  @TempDir Path dir;

  private static byte[] content(int i) {
    return ("region " + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void hundredThousandRegionsReopen() throws IOException {
    try (RegionStore store = RegionStore.open(dir)) {
      for (int i = 0; i < REGIONS; i++) {
        try (RegionWriter w = store.create("_" + Integer.toString(i, 36) + ".si", 64)) {
          byte[] b = content(i);
          w.write(b, 0, b.length);
        }
      }
      store.syncMetadata();
    }
    System.gc();
    long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    long start = System.nanoTime();
    try (RegionStore store = RegionStore.open(dir)) {
      long openNanos = System.nanoTime() - start;
      System.gc();
      long heapAfter = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      System.out.printf(
          "ScaleTest: opened %d regions in %.1f ms; about %d heap bytes per region (names ~8 bytes)%n",
          REGIONS, openNanos / 1e6, (heapAfter - heapBefore) / REGIONS);
      assertEquals(REGIONS, store.list().size());
      for (int i = 0; i < REGIONS; i += 997) {
        assertArrayEquals(content(i), RegionStoreTest.readAll(store, "_" + Integer.toString(i, 36) + ".si"));
      }
      assertEquals(1, store.stats().mappedChunks());
      store.checkSpace();
    }
  }
}
