package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Opening and closing a {@link SlotCache}: folders, locks, what close releases. */
class SlotCacheOpenCloseTest extends CacheTestSupport {
  @Test
  void closeKillsViewsReleasesTheMappingAndDeletesAThrowawayFile() throws Exception {
    CacheOptions throwaway =
        CacheOptions.builder().blockSize(BLOCK).initialCapacity(4L * BLOCK).maxCapacity(8L * BLOCK).persistent(false).build();
    SlotCache cache = open(throwaway);
    TestContent c = new TestContent(15, 3 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    CachedBlock pinned = content.pin(0);
    MemorySegment view = pinned.segment();
    Path file = cache.folder().resolve(SlotFile.FILE_NAME);
    assertTrue(Files.exists(file));
    Path maps = Path.of("/proc/self/maps");
    boolean linux = Files.isReadable(maps);
    if (linux) {
      assertTrue(Files.readString(maps).contains(file.toString()), "mapped while open");
    }
    cache.close();
    cache.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
    pinned.unpin(); // harmless once closed
    assertFalse(Files.exists(file));
    if (linux) {
      assertFalse(Files.readString(maps).contains(file.toString()), "unmapped after close");
    }
    IOException e = assertThrows(IOException.class, () -> content.pin(1));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    content.prefetch(1, 1); // a hint: nothing happens
    // The lock is released: a new cache opens the folder.
    SlotCache again = open(throwaway);
    assertEquals(0, again.stats().slotsUsed());
  }

  @Test
  void closeFailsAFetchInProgressAndItsWaiters() throws Exception {
    SlotCache cache = open(4, 4);
    TestContent c = new TestContent(16, 4 * BLOCK, BLOCK);
    CountDownLatch inFetch = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    c.hook =
        (first, targets) -> {
          inFetch.countDown();
          Waiting.awaitUnchecked(() -> closed.getCount() == 0);
        };
    Future<?> fetching = threads.submit(() -> cache.content(c.id, c.fetcher()).pin(0));
    inFetch.await();
    cache.close();
    closed.countDown();
    Exception e = assertThrows(Exception.class, () -> fetching.get(30, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof FetchFailedException, e.toString());
    assertTrue(e.getCause().getCause() instanceof IllegalStateException, "the write into the dead view");
  }

  @Test
  void aSecondCacheOnTheSameFolderIsRefused() throws IOException {
    open(4, 4);
    IOException e =
        assertThrows(
            IOException.class,
            () -> SlotCache.open(dir.resolve("cache"), CacheOptions.builder().blockSize(BLOCK).initialCapacity(BLOCK).maxCapacity(BLOCK).build()));
    assertTrue(e.getMessage().contains("is in use by another open cache (held by process "
        + ProcessHandle.current().pid()), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("cache").toString()), e.getMessage());
  }

  @Test
  void anUnusableFolderIsAClearError() throws IOException {
    Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
    CacheOptions options = CacheOptions.builder().blockSize(BLOCK).initialCapacity(BLOCK).maxCapacity(BLOCK).build();
    IOException e = assertThrows(IOException.class, () -> SlotCache.open(notAFolder, options));
    assertTrue(e.getMessage().startsWith("cache folder " + notAFolder + " is unusable"), e.getMessage());
    Path below = notAFolder.resolve("sub");
    e = assertThrows(IOException.class, () -> SlotCache.open(below, options));
    assertTrue(e.getMessage().startsWith("cache folder " + below + " is unusable"), e.getMessage());
  }

  @Test
  void nullArgumentsAreRefused() throws IOException {
    SlotCache cache = open(1, 1);
    TestContent c = new TestContent(17, 10, BLOCK);
    assertThrows(NullPointerException.class, () -> cache.content(null, c.fetcher()));
    assertThrows(NullPointerException.class, () -> cache.content(c.id, null));
    assertNull(cache.pinIfCached(new BlockKey(c.id, 0)));
  }
}
