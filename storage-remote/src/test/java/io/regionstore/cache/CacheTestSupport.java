package io.regionstore.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A temporary cache folder, caches closed after each test, and threads for concurrent callers. */
abstract class CacheTestSupport {
  static final int BLOCK = 4096;

  @TempDir Path dir;
  final List<SlotCache> caches = new ArrayList<>();
  final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void closeCaches() throws Exception {
    threads.shutdownNow();
    for (SlotCache c : caches) {
      c.close();
    }
  }

  /** A cache in {@code dir/cache} of 4 KiB blocks, closed after the test. */
  SlotCache open(int initialSlots, int maxSlots) throws IOException {
    return open(
        CacheOptions.builder()
            .blockSize(BLOCK)
            .initialCapacity((long) initialSlots * BLOCK)
            .maxCapacity((long) maxSlots * BLOCK)
            .build());
  }

  SlotCache open(CacheOptions options) throws IOException {
    SlotCache cache = SlotCache.open(dir.resolve("cache"), options);
    caches.add(cache);
    return cache;
  }
}
