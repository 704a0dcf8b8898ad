package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads read random blocks and ranges (with prefetches and failing fetches) of contents
 * much larger than the cache; every byte read is checked against the source, and the cache file and
 * slot count are checked against the maximum all along. A view kept after unpin is read later: it
 * must show its own block's bytes or throw, never another block's.
 */
class SlotCacheStressTest {
  private static final boolean LONG = Boolean.getBoolean("regionstore.tests.long");
  private static final int BLOCK = 4096;
  private static final int MAX_SLOTS = 24;
  private static final int THREADS = 4;

  @TempDir Path dir;

  @Test
  void randomWorkloadNeverExceedsTheMaximumAndReadsOnlyTheSourceBytes() throws Exception {
    long seed = Long.getLong("regionstore.tests.seed", System.nanoTime());
    int opsPerThread = LONG ? 200_000 : 10_000;
    CacheOptions options =
        CacheOptions.builder()
            .blockSize(BLOCK)
            .initialCapacity(4 * BLOCK)
            .maxCapacity(MAX_SLOTS * BLOCK)
            .prefetchThreads(2)
            .maxQueuedPrefetches(1)
            .build();
    List<TestContent> contents = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      contents.add(new TestContent(seed + i, 100 * BLOCK + 1000 * i + 17, BLOCK)); // 4x the cache each
    }
    for (TestContent c : contents) {
      c.hook = (first, targets) -> {
        if ((first * 31 + targets.size()) % 23 == 0 && System.nanoTime() % 4 == 0) {
          throw new IOException("injected failure");
        }
      };
    }
    AtomicLong checkedBytes = new AtomicLong();
    AtomicLong failedFetches = new AtomicLong();
    AtomicLong deadOldViews = new AtomicLong();
    try (SlotCache cache = SlotCache.open(dir.resolve("cache"), options)) {
      Path file = cache.folder().resolve(SlotFile.FILE_NAME);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Random random = new Random(seed * 31 + t);
        workers.add(
            pool.submit(
                () -> {
                  work(cache, contents, random, opsPerThread, checkedBytes, failedFetches, deadOldViews);
                  return null;
                }));
      }
      Future<?> watcher =
          pool.submit(
              () -> {
                while (!workers.stream().allMatch(Future::isDone)) {
                  CacheStats s = cache.stats();
                  assertTrue(s.slotsUsed() <= MAX_SLOTS, "slots used " + s.slotsUsed());
                  assertTrue(s.slots() <= MAX_SLOTS, "slots " + s.slots());
                  assertTrue(Files.size(file) <= (long) MAX_SLOTS * BLOCK, "file size " + Files.size(file));
                  Thread.sleep(1);
                }
                return null;
              });
      for (Future<?> w : workers) {
        w.get(10, TimeUnit.MINUTES);
      }
      watcher.get(1, TimeUnit.MINUTES);
      pool.shutdown();
      CacheStats s = cache.stats();
      assertEquals((long) MAX_SLOTS * BLOCK, Files.size(file), "grown to the maximum, not past it");
      assertEquals(MAX_SLOTS, s.slots());
      assertTrue(s.evictions() > 1000, "seed " + seed + ": " + s);
      assertTrue(failedFetches.get() > 0, "seed " + seed + ": failures were injected");
      assertTrue(checkedBytes.get() > 0);
      assertTrue(deadOldViews.get() > 0, "seed " + seed + ": some kept views were evicted");
      assertNoPinLeft(cache, contents.getFirst());
      System.out.printf(
          "SlotCacheStressTest (seed %d): %d bytes checked, %d failed fetches, %d kept views died, %s%n",
          seed, checkedBytes.get(), failedFetches.get(), deadOldViews.get(), s);
    }
  }

  private static void work(
      SlotCache cache,
      List<TestContent> contents,
      Random random,
      int ops,
      AtomicLong checkedBytes,
      AtomicLong failedFetches,
      AtomicLong deadOldViews)
      throws IOException {
    List<CachedBlock> held = new ArrayList<>();
    MemorySegment oldView = null;
    byte[] oldBytes = null;
    for (int op = 0; op < ops; op++) {
      TestContent c = contents.get(random.nextInt(contents.size()));
      CachedContent content = cache.content(c.id, c.fetcher());
      long blocks = content.blockCount();
      // Hot set: a quarter of the reads go to the first 8 blocks of a content.
      long first = random.nextInt(4) == 0 ? random.nextInt(8) : random.nextLong(blocks);
      int count = (int) Math.min(blocks - first, 1 + random.nextInt(2));
      int kind = random.nextInt(10);
      try {
        if (kind == 0) {
          content.prefetch(first, count);
        } else if (kind < 4) {
          CachedBlock[] range = content.pin(first, count);
          for (CachedBlock b : range) {
            check(c, b, checkedBytes);
            b.unpin();
          }
        } else {
          CachedBlock b = content.pin(first);
          check(c, b, checkedBytes);
          if (held.size() < 2 && random.nextBoolean()) {
            // At most 2 held + a range of 2 per thread, 1 prefetch of 2: 18 pins, never all 24 slots.
            held.add(b);
          } else {
            oldView = b.segment();
            oldBytes = c.block(b.index());
            b.unpin();
          }
        }
      } catch (FetchFailedException e) {
        assertEquals("injected failure", e.getCause().getMessage());
        failedFetches.incrementAndGet();
      }
      if (!held.isEmpty() && random.nextInt(3) == 0) {
        CachedBlock b = held.remove(random.nextInt(held.size()));
        check(contentOf(contents, b), b, checkedBytes);
        b.unpin();
      }
      if (oldView != null && random.nextInt(4) == 0) {
        try {
          byte[] seen = TestContent.read(oldView);
          assertArrayEquals(oldBytes, seen, "a view kept after unpin showed other bytes");
        } catch (IllegalStateException e) {
          deadOldViews.incrementAndGet();
          // HotSpot delivers the "already closed" of a racing arena close as an asynchronous
          // exception and sets the interrupt status with it (JavaThread::install_async_exception);
          // this thread was not interrupted otherwise.
          Thread.interrupted();
        }
        oldView = null;
      }
    }
    held.forEach(CachedBlock::unpin);
  }

  /** Pins MAX_SLOTS blocks at once, which works only when no pin is left (prefetches may linger). */
  private static void assertNoPinLeft(SlotCache cache, TestContent c) throws Exception {
    c.hook = null;
    CachedContent content = cache.content(c.id, c.fetcher());
    for (int attempt = 0; ; attempt++) {
      try {
        CachedBlock[] all = content.pin(50, MAX_SLOTS);
        for (CachedBlock b : all) {
          assertArrayEquals(c.block(b.index()), TestContent.read(b.segment()));
          b.unpin();
        }
        return;
      } catch (CacheFullException e) {
        if (attempt == 100) {
          throw new AssertionError("pins were leaked", e);
        }
        Thread.sleep(10);
      }
    }
  }

  private static TestContent contentOf(List<TestContent> contents, CachedBlock b) {
    return contents.stream().filter(c -> c.id.equals(b.content())).findFirst().orElseThrow();
  }

  private static void check(TestContent c, CachedBlock b, AtomicLong checkedBytes) {
    byte[] expected = c.block(b.index());
    assertArrayEquals(expected, TestContent.read(b.segment()), () -> b + " of " + c.id);
    checkedBytes.addAndGet(expected.length);
  }
}
