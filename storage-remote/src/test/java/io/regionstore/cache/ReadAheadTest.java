package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.cache.TestContent.Call;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadAheadTest extends CacheTestSupport {
  private SlotCache cache(int maxReadAheadBlocks, int maxSlots) throws IOException {
    return open(
        CacheOptions.builder()
            .blockSize(BLOCK)
            .initialCapacity((long) maxSlots * BLOCK)
            .maxCapacity((long) maxSlots * BLOCK)
            .maxReadAhead(maxReadAheadBlocks * BLOCK)
            .prefetchThreads(0)
            .build());
  }

  private static void read(CachedContent content, TestContent c, long index) throws IOException {
    CachedBlock b = content.pinReadingAhead(index);
    assertArrayEquals(c.block(index), TestContent.read(b.segment()));
    b.unpin();
  }

  private static Call call(long first, int blocks) {
    return new Call(first, java.util.Collections.nCopies(blocks, (long) BLOCK));
  }

  @Test
  void aForwardReaderDoublesEachRequestUpToTheBound() throws IOException {
    SlotCache cache = cache(4, 64);
    TestContent c = new TestContent(1, 20 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    for (int i = 0; i < 20; i++) {
      read(content, c, i);
    }
    // block 0 alone (nothing before it), then 1 + 1, 1 + 3, then 1 + 4 (the bound) each time
    assertEquals(
        List.of(call(0, 1), call(1, 2), call(3, 4), call(7, 5), call(12, 5), call(17, 3)), c.calls());
    assertEquals(20, cache.stats().slotsUsed());
  }

  @Test
  void aBlockWithNoCachedBlockBeforeItIsFetchedAlone() throws IOException {
    SlotCache cache = cache(4, 64);
    TestContent c = new TestContent(2, 20 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    read(content, c, 9);
    read(content, c, 3);
    read(content, c, 15);
    assertEquals(List.of(call(9, 1), call(3, 1), call(15, 1)), c.calls());
  }

  @Test
  void readAheadStopsAtTheFirstBlockCachedAfterTheMiss() throws IOException {
    SlotCache cache = cache(8, 64);
    TestContent c = new TestContent(3, 20 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    content.pin(0).unpin();
    content.pin(1).unpin();
    content.pin(4).unpin();
    read(content, c, 2); // two cached behind: up to two ahead, but block 4 is cached
    assertEquals(call(2, 2), c.calls().getLast());
    assertTrue(content.isCached(3));
  }

  @Test
  void zeroTurnsReadAheadOff() throws IOException {
    SlotCache cache = cache(0, 64);
    TestContent c = new TestContent(4, 6 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    for (int i = 0; i < 6; i++) {
      read(content, c, i);
    }
    assertEquals(6, c.calls().size());
  }

  @Test
  void aCacheWithoutRoomForTheReadAheadFetchesTheBlockAlone() throws IOException {
    SlotCache cache = cache(8, 4);
    TestContent c = new TestContent(5, 12 * BLOCK, BLOCK);
    CachedContent content = cache.content(c.id, c.fetcher());
    CachedBlock[] held = content.pin(0, 3); // three of the four slots pinned
    CachedBlock b = content.pinReadingAhead(3); // three behind: would fetch 3..6, room for one
    assertArrayEquals(c.block(3), TestContent.read(b.segment()));
    b.unpin();
    for (CachedBlock h : held) {
      h.unpin();
    }
    assertEquals(call(3, 1), c.calls().getLast());
  }
}
