package io.regionstore.cache;

import io.regionstore.io.ChannelOpener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * A process for {@link SlotCacheCrashTest} to kill: opens the persistent cache in the folder it is
 * given and fetches, evicts and prefetches on two threads until killed, checking every byte it
 * reads. Prints {@code RUNNING} once the cache is open and busy.
 */
public final class CacheCrashChild {
  static final int BLOCK = 4096;
  static final int CONTENTS = 3;
  static final int BLOCKS = 30;

  private CacheCrashChild() {}

  static CacheOptions options() {
    return CacheOptions.builder()
        .blockSize(BLOCK)
        .initialCapacity(8L * BLOCK)
        .maxCapacity(24L * BLOCK)
        .prefetchThreads(2)
        .maxQueuedPrefetches(2) // with the workers' pins, at most 16 of the 24 slots are ever pinned
        .build();
  }

  /** Frequent syncs and prunes, so that kills land in them too. */
  static JournalSettings settings() {
    return new JournalSettings(ChannelOpener.DEFAULT, 512, 8, 32);
  }

  /** The contents both processes know: content {@code i} is seeded with {@code 100 + i}. */
  static TestContent[] contents() {
    TestContent[] out = new TestContent[CONTENTS];
    for (int i = 0; i < CONTENTS; i++) {
      out[i] = new TestContent(100 + i, BLOCKS * BLOCK - i * 100, BLOCK);
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    TestContent[] contents = contents();
    SlotCache cache = SlotCache.open(Path.of(args[0]), options(), settings());
    Thread[] workers = new Thread[2];
    for (int t = 0; t < workers.length; t++) {
      long seed = Long.parseLong(args[1]) * 31 + t;
      workers[t] = new Thread(() -> work(cache, contents, new Random(seed)));
      workers[t].start();
    }
    Thread.sleep(20);
    System.out.println("RUNNING");
    System.out.flush();
    for (Thread w : workers) {
      w.join();
    }
  }

  private static void work(SlotCache cache, TestContent[] contents, Random random) {
    try {
      while (true) {
        TestContent c = contents[random.nextInt(CONTENTS)];
        CachedContent content = cache.content(c.id, c.fetcher());
        int count = 1 + random.nextInt(4);
        long first = random.nextInt((int) content.blockCount() - count + 1);
        if (random.nextInt(5) == 0) {
          content.prefetch(first, count);
          continue;
        }
        CachedBlock[] blocks = content.pin(first, count);
        for (CachedBlock b : blocks) {
          if (!Arrays.equals(c.block(b.index()), TestContent.read(b.segment()))) {
            System.out.println("WRONG BYTES " + b);
            System.exit(3);
          }
          b.unpin();
        }
      }
    } catch (Exception e) {
      System.out.println("FAILED " + e);
      System.exit(2);
    }
  }
}
