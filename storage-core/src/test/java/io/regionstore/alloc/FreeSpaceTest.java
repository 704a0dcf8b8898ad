package io.regionstore.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FreeSpaceTest {
  private static final long CHUNK = 1 << 16;

  @Test
  void bestFitPicksTheSmallestExtentThatHolds() {
    FreeSpace free = new FreeSpace(CHUNK);
    free.add(0, 1024);
    free.add(4096, 256);
    free.add(8192, 512);
    assertEquals(8192, free.allocate(300));
    assertEquals(Map.of(0L, 1024L, 4096L, 256L, 8492L, 212L), free.snapshot());
    assertEquals(4096, free.allocate(256));
    assertEquals(-1, free.allocate(2048));
    assertEquals(1024 + 212, free.bytes());
  }

  @Test
  void mergesNeighboursButNotAcrossChunks() {
    FreeSpace free = new FreeSpace(CHUNK);
    free.add(100, 100);
    free.add(300, 100);
    free.add(200, 100); // bridges both
    assertEquals(Map.of(100L, 300L), free.snapshot());
    free.add(CHUNK - 64, 64);
    free.add(CHUNK, 64); // adjacent, but the next chunk
    assertEquals(3, free.extentCount());
    assertEquals(300 + 128, free.bytes());
  }

  @Test
  void doubleFreeAndChunkCrossingAreRefused() {
    FreeSpace free = new FreeSpace(CHUNK);
    free.add(1000, 100);
    assertTrue(assertThrows(IllegalStateException.class, () -> free.add(1050, 10)).getMessage().contains("double free"));
    assertTrue(assertThrows(IllegalStateException.class, () -> free.add(990, 20)).getMessage().contains("double free"));
    assertTrue(assertThrows(IllegalStateException.class, () -> free.add(CHUNK - 10, 20)).getMessage().contains("crosses"));
    assertThrows(IllegalStateException.class, () -> free.add(5, 0));
  }

  @Test
  void extendTakesFromTheFreeExtentRightAfter() {
    FreeSpace free = new FreeSpace(CHUNK);
    free.add(1000, 500);
    assertEquals(0, free.extend(999, 10));
    assertEquals(200, free.extend(1000, 200));
    assertEquals(300, free.extend(1200, 1000));
    assertEquals(0, free.extentCount());
    free.add(CHUNK, 100);
    assertEquals(0, free.extend(CHUNK, 50), "an extent never grows across a chunk boundary");
  }

  @Test
  void allocateLowestStaysBelowTheLimit() {
    FreeSpace free = new FreeSpace(CHUNK);
    free.add(5000, 1000);
    free.add(100, 50);
    assertEquals(100, free.allocateLowest(1000, 6000)[0]);
    long[] second = free.allocateLowest(1000, 5500);
    assertEquals(5000, second[0]);
    assertEquals(500, second[1]);
    assertNull(free.allocateLowest(10, 5500));
  }

  @Test
  void truncateForgetsTheTail() {
    FreeSpace free = new FreeSpace(CHUNK);
    free.add(0, CHUNK);
    free.add(CHUNK, CHUNK);
    free.add(2 * CHUNK, 64);
    assertTrue(free.isFree(CHUNK, CHUNK));
    assertFalse(free.isFree(CHUNK, 64));
    free.truncate(CHUNK);
    assertEquals(Map.of(0L, CHUNK), free.snapshot());
    assertEquals(CHUNK, free.bytes());
  }

  @Test
  void randomAllocateAndFreeMatchesABitmapModel() {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    long size = 4 * CHUNK;
    boolean[] used = new boolean[(int) (size / 64)];
    FreeSpace free = new FreeSpace(CHUNK);
    for (long c = 0; c < size; c += CHUNK) {
      free.add(c, CHUNK);
    }
    TreeMap<Long, Long> held = new TreeMap<>();
    for (int op = 0; op < 20_000; op++) {
      if (rnd.nextBoolean() || held.isEmpty()) {
        long len = 64L * (1 + rnd.nextInt(64));
        long at = free.allocate(len);
        if (at < 0) {
          continue;
        }
        assertEquals(at / CHUNK, (at + len - 1) / CHUNK, "seed " + seed);
        for (long b = at; b < at + len; b += 64) {
          assertFalse(used[(int) (b / 64)], "seed " + seed + ": handed out used space at " + b);
          used[(int) (b / 64)] = true;
        }
        held.put(at, len);
      } else {
        Map.Entry<Long, Long> e = held.ceilingEntry((long) rnd.nextInt((int) size));
        if (e == null) {
          e = held.firstEntry();
        }
        held.remove(e.getKey());
        for (long b = e.getKey(); b < e.getKey() + e.getValue(); b += 64) {
          used[(int) (b / 64)] = false;
        }
        free.add(e.getKey(), e.getValue());
      }
      long usedBytes = held.values().stream().mapToLong(Long::longValue).sum();
      assertEquals(size - usedBytes, free.bytes(), "seed " + seed);
    }
  }
}
