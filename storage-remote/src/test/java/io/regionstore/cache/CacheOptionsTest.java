package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CacheOptionsTest {
  private static void refused(String option, Executable e) {
    String message = assertThrows(IllegalArgumentException.class, e).getMessage();
    assertTrue(message.startsWith(option + " ") || message.contains(" " + option + " "), message);
  }

  @Test
  void defaults() {
    CacheOptions o = CacheOptions.defaults();
    assertEquals(64 * 1024, o.blockSize());
    assertEquals(64L << 20, o.initialCapacity());
    assertEquals(1L << 30, o.maxCapacity());
    assertEquals(16, o.prefetchThreads());
    assertEquals(1 << 20, o.maxReadAhead());
    assertEquals(64, o.maxQueuedPrefetches());
    assertTrue(o.persistent());
    assertEquals(false, CacheOptions.builder().persistent(false).build().persistent());
    assertTrue(o.toString().endsWith(", persistent=true]"), o.toString());
  }

  @Test
  void eachBadOptionIsRefusedByName() {
    CacheOptions.Builder b = CacheOptions.builder();
    refused("blockSize", () -> b.blockSize(3 * 4096));
    refused("blockSize", () -> b.blockSize(2048));
    refused("blockSize", () -> b.blockSize(1 << 25));
    refused("blockSize", () -> b.blockSize(0));
    refused("initialCapacity", () -> b.initialCapacity(0));
    refused("maxCapacity", () -> b.maxCapacity(-1));
    refused("prefetchThreads", () -> b.prefetchThreads(-1));
    refused("prefetchThreads", () -> b.prefetchThreads(257));
    refused("maxReadAhead", () -> b.maxReadAhead(-1));
    refused("maxReadAhead", () -> b.maxReadAhead(CacheOptions.MAX_READ_AHEAD + 1));
    refused("maxQueuedPrefetches", () -> b.maxQueuedPrefetches(0));
  }

  @Test
  void optionsThatDoNotFitTogetherAreRefusedByName() {
    refused("initialCapacity", () -> CacheOptions.builder().blockSize(4096).initialCapacity(5000).maxCapacity(8192).build());
    refused("maxCapacity", () -> CacheOptions.builder().blockSize(4096).initialCapacity(4096).maxCapacity(10000).build());
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> CacheOptions.builder().blockSize(4096).initialCapacity(8192).maxCapacity(4096).build())
            .getMessage();
    assertEquals("maxCapacity 4096 must be >= initialCapacity 8192", message);
    refused("maxCapacity", () -> CacheOptions.builder().blockSize(4096).initialCapacity(4096).maxCapacity(4096L << 31).build());
  }

  @Test
  void goodOptionsAreKept() {
    CacheOptions o =
        CacheOptions.builder()
            .blockSize(1 << 20)
            .initialCapacity(1 << 20)
            .maxCapacity(4L << 20)
            .prefetchThreads(0)
            .maxQueuedPrefetches(1)
            .build();
    assertEquals(1 << 20, o.blockSize());
    assertEquals(1 << 20, o.initialCapacity());
    assertEquals(4L << 20, o.maxCapacity());
    assertEquals(0, o.prefetchThreads());
    assertEquals(1, o.maxQueuedPrefetches());
  }
}
