package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.cache.TestContent.Call;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlotCacheTest extends CacheTestSupport {
  @Test
  void hitsReturnTheSourceBytesAndTheSameView() throws IOException {
    SlotCache cache = open(4, 16);
    TestContent c = new TestContent(1, 5 * BLOCK + 123, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    assertEquals(6, content.blockCount());
    List<MemorySegment> views = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      CachedBlock b = content.pin(i);
      assertArrayEquals(c.block(i), TestContent.read(b.segment()));
      views.add(b.segment());
      b.unpin();
    }
    assertEquals(6, c.fetches.get());
    for (int i = 0; i < 6; i++) {
      CachedBlock b = content.pin(i);
      assertSame(views.get(i), b.segment(), "a hit returns the view of the occupancy");
      assertArrayEquals(c.block(i), TestContent.read(b.segment()));
      b.unpin();
    }
    CacheStats s = cache.stats();
    assertEquals(6, s.requests());
    assertEquals(c.bytes.length, s.bytesFetched());
    assertEquals(6, s.hits());
    assertEquals(6, s.misses());
    assertEquals(0, s.evictions());
    assertEquals(6, s.slotsUsed());
    assertEquals(8, s.slots(), "grew once, by doubling");
    assertEquals(16, s.maxSlots());
  }

  @Test
  void contentsWithTheSameIdentityShareBlocksWhateverTheirFetcher() throws IOException {
    SlotCache cache = open(4, 4);
    TestContent c = new TestContent(2, 2 * BLOCK, BLOCK);
    cache.content(c.id, c.fetcher()).pin(1).unpin();
    BlockFetcher never = (first, targets) -> {
      throw new AssertionError("the block is cached");
    };
    CachedBlock b = cache.content(ContentId.of(c.id.sha256(), c.id.length()), never).pin(1);
    assertArrayEquals(c.block(1), TestContent.read(b.segment()));
    b.unpin();
  }

  @Test
  void concurrentMissesOfOneBlockMakeOneFetch() throws Exception {
    int n = 8;
    SlotCache cache = open(4, 4);
    TestContent c = new TestContent(3, 3 * BLOCK, BLOCK);
    // The fetch finishes only once all n callers have missed: n - 1 of them are then waiting.
    c.hook = (first, targets) -> Waiting.awaitUnchecked(() -> cache.stats().misses() == n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<byte[]>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(
          readInThread(cache.content(c.id, c.fetcher()), 2, start));
    }
    start.countDown();
    for (Future<byte[]> r : results) {
      assertArrayEquals(c.block(2), r.get(30, TimeUnit.SECONDS));
    }
    assertEquals(1, c.fetches.get());
    assertEquals(List.of(new Call(2, List.of((long) BLOCK))), c.calls());
    assertEquals(n, cache.stats().misses());
  }

  /** Pins, copies and unpins block {@code index} in another thread once {@code start} opens. */
  private Future<byte[]> readInThread(CachedContent content, long index, CountDownLatch start) {
    return threads.submit(
        () -> {
          start.await();
          CachedBlock b = content.pin(index);
          try {
            return TestContent.read(b.segment());
          } finally {
            b.unpin();
          }
        });
  }

  @Test
  void aRunOfMissingAdjacentBlocksIsOneFetch() throws IOException {
    SlotCache cache = open(16, 16);
    TestContent c = new TestContent(4, 10 * BLOCK, BLOCK);
    CachedBlock[] blocks = cache.content(c.id, c.fetcher()).pin(2, 5);
    assertEquals(List.of(new Call(2, List.of(4096L, 4096L, 4096L, 4096L, 4096L))), c.calls());
    for (int i = 0; i < 5; i++) {
      assertEquals(2 + i, blocks[i].index());
      assertArrayEquals(c.block(2 + i), TestContent.read(blocks[i].segment()));
      blocks[i].unpin();
    }
    assertEquals(1, cache.stats().requests());
    assertEquals(5, cache.stats().misses());
    assertEquals(5, cache.runsForTest().bump(), "one contiguous run at the bump pointer");
  }

  @Test
  void cachedBlocksInsideARangeSplitTheRuns() throws IOException {
    SlotCache cache = open(16, 16);
    TestContent c = new TestContent(5, 10 * BLOCK + 10, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    content.pin(3).unpin();
    content.pin(6).unpin();
    c.calls.clear();
    CachedBlock[] blocks = content.pin(1, 10);
    assertEquals(
        List.of(
            new Call(1, List.of(4096L, 4096L)),
            new Call(4, List.of(4096L, 4096L)),
            new Call(7, List.of(4096L, 4096L, 4096L, 10L))),
        c.calls());
    for (int i = 0; i < 10; i++) {
      assertArrayEquals(c.block(1 + i), TestContent.read(blocks[i].segment()));
      blocks[i].unpin();
    }
    assertEquals(10, blocks[9].segment().byteSize(), "the last block holds the remaining 10 bytes");
    CacheStats s = cache.stats();
    assertEquals(2, s.hits());
    assertEquals(2 + 8, s.misses());
  }

  @Test
  void theLastBlockIsShort() throws IOException {
    SlotCache cache = open(4, 4);
    TestContent c = new TestContent(6, 2 * BLOCK + 1000, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    assertEquals(3, content.blockCount());
    CachedBlock last = content.pin(2);
    assertEquals(1000, last.segment().byteSize());
    assertArrayEquals(c.block(2), TestContent.read(last.segment()));
    assertEquals(List.of(new Call(2, List.of(1000L))), c.calls());
    assertThrows(IndexOutOfBoundsException.class, () -> last.segment().get(ValueLayout.JAVA_BYTE, 1000));
    last.unpin();
    assertEquals(1000, cache.stats().bytesFetched());
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> content.pin(3));
    assertTrue(e.getMessage().contains("which has 3 blocks"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> content.pin(2, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> content.pin(-1));
    TestContent exact = new TestContent(7, 2 * BLOCK, BLOCK);
    CachedBlock full = cache.content(exact.id, exact.fetcher()).pin(1);
    assertEquals(BLOCK, full.segment().byteSize());
    full.unpin();
    TestContent empty = new TestContent(8, 0, BLOCK);
    assertEquals(0, cache.content(empty.id, empty.fetcher()).blockCount());
    assertThrows(IndexOutOfBoundsException.class, () -> cache.content(empty.id, empty.fetcher()).pin(0));
  }

  @Test
  void aViewOfAnEvictedBlockThrowsAndNeverShowsTheNewOccupant() throws IOException {
    SlotCache cache = open(1, 1);
    TestContent c = new TestContent(9, 2 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    CachedBlock first = content.pin(0);
    MemorySegment old = first.segment();
    first.unpin();
    assertEquals(c.bytes[0], old.get(ValueLayout.JAVA_BYTE, 0), "readable after unpin, until eviction");
    CachedBlock second = content.pin(1); // the only slot: block 0 is evicted, block 1 fills it
    assertEquals(first.slot, second.slot);
    assertArrayEquals(c.block(1), TestContent.read(second.segment()));
    assertThrows(IllegalStateException.class, () -> old.get(ValueLayout.JAVA_BYTE, 0));
    assertThrows(IllegalStateException.class, () -> TestContent.read(old));
    second.unpin();
    assertEquals(1, cache.stats().evictions());
  }

  @Test
  void pinnedBlocksAreNeverEvicted() throws IOException {
    SlotCache cache = open(4, 4);
    TestContent c = new TestContent(10, 64 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    CachedBlock a = content.pin(0);
    CachedBlock b = content.pin(1);
    for (int round = 0; round < 3; round++) {
      for (int i = 2; i < 64; i++) {
        content.pin(i).unpin();
      }
    }
    assertArrayEquals(c.block(0), TestContent.read(a.segment()));
    assertArrayEquals(c.block(1), TestContent.read(b.segment()));
    assertSame(a, content.pin(0), "still the same occupancy");
    a.unpin();
    a.unpin();
    b.unpin();
    CacheStats s = cache.stats();
    assertEquals(2 + 3 * 62, s.requests());
    assertEquals(3 * 62 - 2, s.evictions());
    assertEquals(4, s.slotsUsed());
  }

  @Test
  void everySlotPinnedFailsAMissWithCacheFull() throws IOException {
    SlotCache cache = open(2, 2);
    TestContent c = new TestContent(11, 8 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    CachedBlock a = content.pin(0);
    CachedBlock b = content.pin(1);
    CacheFullException e = assertThrows(CacheFullException.class, () -> content.pin(2));
    assertTrue(e.getMessage().contains("all 2 blocks in its 2 slots of 4096 bytes are pinned"), e.getMessage());
    assertTrue(e.getMessage().contains("may not grow past 8192 bytes"), e.getMessage());
    assertEquals(2, c.fetches.get(), "no fetch for a block without a slot");
    assertEquals(2 * BLOCK, Files.size(cache.folder().resolve(SlotFile.FILE_NAME)));
    // A range is all or nothing: one slot free, two needed.
    a.unpin();
    assertThrows(CacheFullException.class, () -> content.pin(4, 2));
    assertEquals(2, c.fetches.get());
    assertSame(b, content.pin(1), "block 1 stayed");
    b.unpin();
    b.unpin();
    CachedBlock[] two = content.pin(4, 2);
    assertArrayEquals(c.block(5), TestContent.read(two[1].segment()));
    two[0].unpin();
    two[1].unpin();
  }

  @Test
  void aFailedFetchFailsEveryWaiterWithTheSameCauseAndLeavesNothing() throws Exception {
    int n = 6;
    SlotCache cache = open(4, 4);
    TestContent c = new TestContent(12, 4 * BLOCK, BLOCK);
    IOException boom = new IOException("boom");
    c.hook =
        (first, targets) -> {
          Waiting.awaitUnchecked(() -> cache.stats().misses() == 2 * n); // two blocks per caller
          targets.getFirst().set(ValueLayout.JAVA_BYTE, 0, (byte) 42); // half-written
          throw boom;
        };
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(
          threads.submit(
              () -> {
                start.await();
                return cache.content(c.id, c.fetcher()).pin(1, 2);
              }));
    }
    start.countDown();
    for (Future<?> r : results) {
      Exception e = assertThrows(Exception.class, () -> r.get(30, TimeUnit.SECONDS));
      FetchFailedException f = (FetchFailedException) e.getCause();
      assertSame(boom, f.getCause());
      assertTrue(f.getMessage().contains("of content " + c.id), f.getMessage());
    }
    assertEquals(1, c.fetches.get());
    CacheStats s = cache.stats();
    assertEquals(0, s.slotsUsed());
    assertEquals(0, s.bytesFetched());
    c.hook = null;
    CachedBlock[] retried = cache.content(c.id, c.fetcher()).pin(1, 2);
    assertArrayEquals(c.block(1), TestContent.read(retried[0].segment()));
    assertArrayEquals(c.block(2), TestContent.read(retried[1].segment()));
    retried[0].unpin();
    retried[1].unpin();
    assertEquals(2, c.fetches.get());
    assertEquals(2, cache.stats().slotsUsed());
  }

  @Test
  void aFailedRunFailsTheCallButOtherRunsAreKept() throws IOException {
    SlotCache cache = open(8, 8);
    TestContent c = new TestContent(13, 6 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    content.pin(2).unpin();
    IOException boom = new IOException("boom");
    c.hook = (first, targets) -> {
      if (first == 0) {
        throw boom;
      }
    };
    FetchFailedException e = assertThrows(FetchFailedException.class, () -> content.pin(0, 5));
    assertSame(boom, e.getCause());
    c.hook = null;
    int before = c.fetches.get();
    CachedBlock[] blocks = content.pin(2, 3);
    assertEquals(before, c.fetches.get(), "blocks 3 and 4 were fetched and kept");
    for (CachedBlock b : blocks) {
      assertEquals(0, b.pins() - 1, "only this pin: the failed call released its own");
      b.unpin();
    }
  }

  @Test
  void prefetchThenReadMakesOneFetch() throws Exception {
    SlotCache cache = open(8, 8);
    TestContent c = new TestContent(14, 8 * BLOCK, BLOCK);
    CountDownLatch release = new CountDownLatch(1);
    c.hook = (first, targets) -> Waiting.awaitUnchecked(() -> release.getCount() == 0);
    CachedContent content = cache.content(c.id, c.fetcher());
    content.prefetch(1, 3); // returns at once although the fetch cannot finish yet
    Future<byte[]> read =
        readInThread(content, 2, new CountDownLatch(0));
    Waiting.await(() -> cache.stats().misses() == 1); // the read is waiting for the prefetch
    assertFalse(read.isDone());
    release.countDown();
    assertArrayEquals(c.block(2), read.get(30, TimeUnit.SECONDS));
    // The run's blocks are marked filled one after another: pinning block 3 before it is would
    // wait for it and count a miss of this test's own making.
    Waiting.await(() -> content.isCached(3));
    Waiting.await(() -> otherPins(content, 3) == 0); // the prefetch has released its pins
    assertEquals(List.of(new Call(1, List.of(4096L, 4096L, 4096L))), c.calls());
    content.prefetch(1, 3); // all cached: nothing to do
    assertEquals(0, otherPins(content, 1));
    assertEquals(1, c.fetches.get());
    CacheStats s = cache.stats();
    assertEquals(1, s.requests());
    assertEquals(1, s.misses());
  }

  @Test
  void aReadFetchesAQueuedPrefetchItselfInsteadOfWaitingBehindTheQueue() throws Exception {
    SlotCache cache =
        open(CacheOptions.builder().blockSize(BLOCK).initialCapacity(8 * BLOCK).maxCapacity(8 * BLOCK).prefetchThreads(1).build());
    TestContent c = new TestContent(18, 8 * BLOCK, BLOCK);
    CountDownLatch inFirst = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    c.hook =
        (first, targets) -> {
          if (first == 0) {
            inFirst.countDown();
            Waiting.awaitUnchecked(() -> release.getCount() == 0);
          }
        };
    CachedContent content = cache.content(c.id, c.fetcher());
    content.prefetch(0, 1); // takes the only prefetch thread and blocks there
    inFirst.await();
    content.prefetch(5, 2); // queued behind it
    // Fetched by the reading thread, while the prefetch of block 0 still blocks the prefetch thread.
    Future<byte[]> read =
        readInThread(content, 6, new CountDownLatch(0));
    assertArrayEquals(c.block(6), read.get(30, TimeUnit.SECONDS));
    assertEquals(List.of(new Call(0, List.of(4096L)), new Call(5, List.of(4096L, 4096L))), c.calls());
    assertEquals(0, otherPins(content, 5), "the prefetch's pins were released by the reader");
    release.countDown();
    Waiting.await(() -> otherPins(content, 0) == 0);
    assertEquals(2, c.fetches.get(), "the prefetch thread skipped the run the reader fetched");
    assertEquals(2, cache.stats().requests());
  }

  /** Pins of a cached block other than this call's own. */
  private static int otherPins(CachedContent content, long index) {
    try {
      CachedBlock b = content.pin(index);
      int others = b.pins() - 1;
      b.unpin();
      return others;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

}
