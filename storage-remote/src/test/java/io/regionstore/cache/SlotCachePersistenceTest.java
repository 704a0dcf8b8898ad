package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A persistent {@link SlotCache} across restarts: warm again, checked, bounded, throwaway. */
class SlotCachePersistenceTest extends CacheTestSupport {
  private static CacheOptions options(int initialSlots, int maxSlots) {
    return CacheOptions.builder()
        .blockSize(BLOCK)
        .initialCapacity((long) initialSlots * BLOCK)
        .maxCapacity((long) maxSlots * BLOCK)
        .prefetchThreads(0)
        .build();
  }

  private SlotCache reopen(SlotCache cache, CacheOptions options) throws IOException {
    cache.close();
    caches.remove(cache);
    return open(options);
  }

  /** Pins every block once (fetched), returns each block's slot. */
  private static Map<Long, Integer> fill(SlotCache cache, TestContent c) throws IOException {
    CachedContent content = cache.content(c.id, c.fetcher());
    Map<Long, Integer> slots = new HashMap<>();
    for (long i = 0; i < content.blockCount(); i++) {
      CachedBlock b = content.pin(i);
      slots.put(i, b.slot);
      b.unpin();
    }
    return slots;
  }

  /** Pins every block; asserts the bytes; returns the fetch calls it made. */
  private static int readAll(SlotCache cache, TestContent c) throws IOException {
    int before = c.fetches.get();
    CachedContent content = cache.content(c.id, c.fetcher());
    for (long i = 0; i < content.blockCount(); i++) {
      CachedBlock b = content.pin(i);
      assertArrayEquals(c.block(i), TestContent.read(b.segment()), "block " + i);
      b.unpin();
    }
    return c.fetches.get() - before;
  }

  @Test
  void aRestartedCacheIsWarmAndServesTheSameBytesWithoutFetching() throws IOException {
    CacheOptions o = options(4, 32);
    SlotCache cache = open(o);
    TestContent a = new TestContent(1, 7 * BLOCK + 100, BLOCK);
    TestContent b = new TestContent(2, 5 * BLOCK, BLOCK);
    fill(cache, a);
    fill(cache, b);
    assertEquals(13, cache.stats().slotsUsed());
    cache = reopen(cache, o);
    CacheStats s = cache.stats();
    assertEquals(13, s.adopted());
    assertEquals(0, s.dropped());
    assertEquals(13, s.slotsUsed());
    assertEquals(0, readAll(cache, a), "no request for a cached block after a restart");
    assertEquals(0, readAll(cache, b));
    assertEquals(13, cache.stats().hits());
    assertEquals(0, cache.stats().requests());
    // The table goes on: new blocks take free slots, never the adopted ones.
    TestContent c = new TestContent(3, 10 * BLOCK, BLOCK);
    fill(cache, c);
    assertEquals(0, readAll(cache, a));
    assertEquals(0, readAll(cache, b));
    assertEquals(0, readAll(cache, c));
    cache = reopen(cache, o);
    assertEquals(23, cache.stats().adopted());
  }

  @Test
  void aSlotWhoseBytesChangedOnDiskIsDroppedAndFetchedAgain() throws IOException {
    CacheOptions o = options(8, 8);
    SlotCache cache = open(o);
    TestContent a = new TestContent(4, 6 * BLOCK, BLOCK);
    Map<Long, Integer> slots = fill(cache, a);
    cache.close();
    caches.remove(cache);
    Path file = dir.resolve("cache").resolve(SlotFile.FILE_NAME);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      // one flipped byte in block 2, block 4 zeroed (a lost write)
      long at = (long) slots.get(2L) * BLOCK + 1000;
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (a.block(2)[1000] ^ 0x10)}), at);
      ch.write(ByteBuffer.allocate(BLOCK), (long) slots.get(4L) * BLOCK);
    }
    cache = open(o);
    assertEquals(4, cache.stats().adopted());
    assertEquals(2, cache.stats().dropped());
    CachedContent content = cache.content(a.id, a.fetcher());
    assertFalse(content.isCached(2));
    assertFalse(content.isCached(4));
    assertEquals(2, readAll(cache, a), "the two damaged blocks are fetched again, never served");
  }

  @Test
  void aTornJournalTailOpensWithTheRecordsBeforeIt() throws IOException {
    CacheOptions o = options(8, 8);
    SlotCache cache = open(o);
    TestContent a = new TestContent(5, 5 * BLOCK, BLOCK);
    fill(cache, a);
    cache.close();
    caches.remove(cache);
    Path journal = dir.resolve("cache").resolve(CacheJournal.FILE_NAME);
    long size = Files.size(journal);
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
      ch.truncate(size - 10); // the last FILLED record loses its end
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 69, 1, 2, 3}), size - 10); // and gets garbage
    }
    cache = open(o);
    assertEquals(4, cache.stats().adopted(), "the torn record is cut, the four before it are kept");
    assertEquals(1, readAll(cache, a));
  }

  @Test
  void aJournalOfAnotherBlockSizeOrFormatIsIgnoredAndTheCacheStartsCold() throws IOException {
    SlotCache cache = open(options(8, 8));
    TestContent a = new TestContent(6, 4 * BLOCK, BLOCK);
    fill(cache, a);
    cache.close();
    caches.remove(cache);
    CacheOptions bigger =
        CacheOptions.builder().blockSize(2 * BLOCK).initialCapacity(8L * BLOCK).maxCapacity(8L * BLOCK).prefetchThreads(0).build();
    cache = open(bigger);
    assertEquals(0, cache.stats().adopted());
    assertEquals(0, cache.stats().slotsUsed());
    cache.close();
    caches.remove(cache);
    cache = open(options(8, 8));
    assertEquals(0, cache.stats().adopted(), "the journal was rewritten for the other block size");
    Path journal = dir.resolve("cache").resolve(CacheJournal.FILE_NAME);
    cache.close();
    caches.remove(cache);
    Files.write(journal, new byte[100]); // not a journal at all
    cache = open(options(8, 8));
    assertEquals(0, cache.stats().adopted());
    fill(cache, a);
    cache = reopen(cache, options(8, 8));
    assertEquals(4, cache.stats().adopted(), "a fresh journal replaced the unreadable one");
  }

  @Test
  void aSmallerMaximumDropsTheSlotsPastIt() throws IOException {
    SlotCache cache = open(options(8, 8));
    TestContent a = new TestContent(7, 8 * BLOCK, BLOCK);
    Map<Long, Integer> slots = fill(cache, a);
    cache.close();
    caches.remove(cache);
    cache = open(options(4, 4));
    long below = slots.values().stream().filter(s -> s < 4).count();
    assertEquals(4, below);
    assertEquals(4, cache.stats().adopted());
    assertEquals(4, cache.stats().dropped());
    assertEquals(4L * BLOCK, Files.size(dir.resolve("cache").resolve(SlotFile.FILE_NAME)));
    assertEquals(4, readAll(cache, a), "blocks 0..3 (slots 0..3) kept, 4..7 fetched again");
  }

  @Test
  void aThrowawayCacheStartsEmptyIgnoresTheJournalAndDeletesItsFile() throws IOException {
    SlotCache cache = open(options(8, 8));
    TestContent a = new TestContent(8, 4 * BLOCK, BLOCK);
    fill(cache, a);
    cache.close();
    caches.remove(cache);
    CacheOptions throwaway =
        CacheOptions.builder().blockSize(BLOCK).initialCapacity(8L * BLOCK).maxCapacity(8L * BLOCK).persistent(false).build();
    cache = open(throwaway);
    assertEquals(0, cache.stats().slotsUsed());
    Path folder = dir.resolve("cache");
    assertFalse(Files.exists(folder.resolve(CacheJournal.FILE_NAME)));
    cache.close();
    caches.remove(cache);
    assertFalse(Files.exists(folder.resolve(SlotFile.FILE_NAME)));
    assertFalse(Files.exists(folder.resolve(CacheOwner.FILE_NAME)));
    cache = open(options(8, 8));
    assertEquals(0, cache.stats().adopted());
  }

  @Test
  void aPersistentCloseKeepsTheFileAndJournalAndRemovesTheOwnerFile() throws IOException {
    SlotCache cache = open(options(8, 8));
    Path folder = dir.resolve("cache");
    assertTrue(Files.readString(folder.resolve(CacheOwner.FILE_NAME)).startsWith("process " + ProcessHandle.current().pid()));
    cache.close();
    caches.remove(cache);
    try (var files = Files.list(folder)) {
      assertEquals(
          List.of(SlotFile.FILE_NAME, CacheJournal.FILE_NAME),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /**
   * Many fills and evictions: the journal is pruned whenever its dead records pass the live ones
   * (and the minimum), so its size stays under a bound set by the slot count alone.
   */
  @Test
  void theJournalStaysBoundedInALongRun() throws IOException {
    int slots = 16;
    int minDead = 64;
    CacheOptions o = options(slots, slots);
    JournalSettings settings = new JournalSettings(io.regionstore.io.ChannelOpener.DEFAULT, 1024, 1 << 20, minDead);
    SlotCache cache = SlotCache.open(dir.resolve("cache"), o, settings);
    caches.add(cache);
    TestContent a = new TestContent(9, 50 * BLOCK, BLOCK);
    CachedContent content = cache.content(a.id, a.fetcher());
    Random random = new Random(9);
    // records: CONFIG + at most `slots` live + dead <= max(live, minDead) + the records of one fetch
    long recordBound = 1 + slots + Math.max(slots, minDead) + 1;
    long byteBound = 32 + (long) recordBound * (8 + CacheJournal.FILLED_SIZE);
    long largest = 0;
    int ops = Boolean.getBoolean("regionstore.tests.long") ? 200_000 : 10_000;
    for (int i = 0; i < ops; i++) {
      long index = random.nextInt(50);
      CachedBlock b = content.pin(index);
      b.unpin();
      largest = Math.max(largest, cache.journalForTest().size());
      assertTrue(cache.journalForTest().recordCount() <= recordBound, "records " + cache.journalForTest().recordCount());
    }
    assertTrue(largest <= byteBound, largest + " > " + byteBound);
    assertTrue(cache.journalForTest().prunes() > 50, "pruned " + cache.journalForTest().prunes());
    assertTrue(cache.stats().evictions() > ops / 2);
    long used = cache.stats().slotsUsed();
    cache = reopen(cache, o);
    assertEquals(used, cache.stats().adopted());
    content = cache.content(a.id, a.fetcher());
    int before = a.fetches.get();
    int cached = 0;
    for (long i = 0; i < 50; i++) {
      if (content.isCached(i)) {
        cached++;
        CachedBlock b = content.pin(i);
        assertArrayEquals(a.block(i), TestContent.read(b.segment()));
        b.unpin();
      }
    }
    assertEquals(used, cached);
    assertEquals(before, a.fetches.get());
  }

  /** Two stores (two sources, two fetchers) in one process share one cache and one capacity. */
  @Test
  void twoStoresShareOneCapacityAndEachGetsItsOwnBytes() throws Exception {
    SlotCache cache = open(options(4, 12));
    TestContent one = new TestContent(10, 20 * BLOCK, BLOCK);
    TestContent two = new TestContent(11, 20 * BLOCK + 7, BLOCK);
    CachedContent first = cache.content(one.id, one.fetcher());
    CachedContent second = cache.content(two.id, two.fetcher());
    Random random = new Random(10);
    for (int i = 0; i < 2000; i++) {
      boolean pickOne = random.nextBoolean();
      TestContent c = pickOne ? one : two;
      CachedContent content = pickOne ? first : second;
      long index = random.nextInt(content.blockCount() > 20 ? 21 : 20);
      CachedBlock b = content.pin(index);
      assertArrayEquals(c.block(index), TestContent.read(b.segment()));
      b.unpin();
      assertTrue(cache.stats().slotsUsed() <= 12);
    }
    CacheStats s = cache.stats();
    assertEquals(12, s.slots(), "one file for both, at the shared maximum");
    assertTrue(s.evictions() > 0);
    assertEquals(s.requests(), one.fetches.get() + two.fetches.get(), "each miss went to its own source");
    long cachedOne = 0;
    long cachedTwo = 0;
    for (long i = 0; i < 20; i++) {
      cachedOne += first.isCached(i) ? 1 : 0;
    }
    for (long i = 0; i < 21; i++) {
      cachedTwo += second.isCached(i) ? 1 : 0;
    }
    assertEquals(12, cachedOne + cachedTwo, "both stores' blocks in the one capacity");
    assertTrue(cachedOne > 0 && cachedTwo > 0, cachedOne + " / " + cachedTwo);
  }
}
