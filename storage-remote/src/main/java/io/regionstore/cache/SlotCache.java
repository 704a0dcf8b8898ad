package io.regionstore.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A local cache of content blocks in one memory-mapped file cut into fixed-size slots, filled on a
 * miss by a caller-supplied {@link BlockFetcher}, read through zero-copy views.
 *
 * <p>Blocks are keyed by {@link ContentId} and block index, never by a file or offset, so one cache
 * (with one capacity) serves any number of stores in a process, and the blocks of unchanged
 * contents survive a re-pack. A content of length {@code L} has {@code ceil(L / blockSize)} blocks;
 * the last one is shorter.
 *
 * <pre>{@code
 * try (SlotCache cache = SlotCache.open(folder, CacheOptions.defaults())) {
 *   CachedContent content = cache.content(id, (first, targets) -> source.read(offset + first * blockSize, targets));
 *   CachedBlock block = content.pin(3);          // fetched on a miss; pinned: never evicted
 *   try {
 *     byte b = block.segment().get(ValueLayout.JAVA_BYTE, 0);
 *   } finally {
 *     block.unpin();                             // the view stays valid until eviction
 *   }
 * }
 * }</pre>
 *
 * <p>Guarantees: concurrent misses of one block make one fetch (the others wait for it); adjacent
 * missing blocks of one request are fetched in one call; a failed fetch fails every waiter with the
 * same cause and leaves nothing behind; a view of an evicted block throws {@link
 * IllegalStateException} and never shows another block's bytes; the file never exceeds {@link
 * CacheOptions#maxCapacity()}: when every slot is pinned, a miss throws {@link
 * CacheFullException}. Eviction is S3-FIFO (see the README, "The slot cache").
 *
 * <p>Persistence (the default, {@link CacheOptions#persistent()}): a journal in the folder records
 * which slot holds which block and a 128-bit checksum of its bytes ({@link CacheJournal}); a
 * restarted cache takes back every block whose slot still matches, checked at open, so no view of
 * unchecked bytes is ever handed out. A crash at any moment leaves a cache that opens, possibly
 * colder. Only one open cache (in any process) may use a folder; see {@link #open}.
 *
 * <p>Thread-safe. A hit is a lock-free map lookup and a compare-and-set; misses serialize only
 * while they pick slots, never during a fetch. Needs {@code --enable-native-access} (views are
 * scoped with {@link MemorySegment#reinterpret}).
 */
public final class SlotCache implements AutoCloseable {
  private final Path folder;
  private final CacheOptions options;
  private final BlockTable table;
  private final ExecutorService prefetcher;
  private final Semaphore prefetchPermits;
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytesFetched = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  /** The persistent record of the slots, or null for a throwaway cache. */
  private final CacheJournal journal;
  private final int adopted;
  private final int dropped;
  private volatile boolean closed;

  private SlotCache(Path folder, CacheOptions options, SlotFile file, CacheJournal journal, Recovery recovery) {
    this.folder = folder;
    this.options = options;
    this.journal = journal;
    this.table = new BlockTable(file, options.blockSize(), journal);
    this.table.adopt(recovery.adopted());
    this.adopted = recovery.adopted().size();
    this.dropped = recovery.dropped();
    this.prefetcher =
        options.prefetchThreads() == 0
            ? null
            : Executors.newFixedThreadPool(options.prefetchThreads(), daemonThreads(folder));
    this.prefetchPermits = new Semaphore(options.maxQueuedPrefetches());
  }

  /**
   * Opens the cache in {@code folder} (made if missing). A persistent cache ({@link
   * CacheOptions#persistent()}, the default) takes back the blocks an earlier cache left there
   * whose bytes still match the checksums its journal recorded, and drops the others; a throwaway
   * cache starts empty. See the README, "Restarts and crashes of the cache".
   *
   * @throws IOException naming the folder if it cannot be made or written, is not a folder, or
   *     another open cache uses it (naming the process that holds it)
   */
  public static SlotCache open(Path folder, CacheOptions options) throws IOException {
    return open(folder, options, JournalSettings.DEFAULT);
  }

  /** As {@link #open(Path, CacheOptions)}, the journal written as {@code settings} say; for tests. */
  static SlotCache open(Path folder, CacheOptions options, JournalSettings settings) throws IOException {
    int blockSize = options.blockSize();
    SlotFile file =
        SlotFile.open(
            folder,
            blockSize,
            (int) (options.initialCapacity() / blockSize),
            (int) (options.maxCapacity() / blockSize),
            options.persistent());
    CacheJournal journal = null;
    try {
      Recovery recovery;
      if (options.persistent()) {
        journal = CacheJournal.open(folder, blockSize, settings);
        recovery = Recovery.verify(journal.claims(), file, blockSize);
        journal.adopt(recovery.adopted(), file.slots());
      } else {
        Files.deleteIfExists(folder.resolve(CacheJournal.FILE_NAME)); // it describes bytes now gone
        recovery = new Recovery(List.of(), 0);
      }
      return new SlotCache(folder, options, file, journal, recovery);
    } catch (IOException | RuntimeException e) {
      try (file) {
        if (journal != null) {
          journal.close();
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * The blocks of content {@code id}, fetched by {@code fetcher} on a miss. Cheap (no lookup, no
   * registration): make one per reader if convenient. Handles of equal ids share cached blocks,
   * whatever their fetchers.
   */
  public CachedContent content(ContentId id, BlockFetcher fetcher) {
    if (id == null || fetcher == null) {
      throw new NullPointerException(id == null ? "id" : "fetcher");
    }
    return new CachedContent(this, id, fetcher);
  }

  /** Bytes per block and slot. */
  public int blockSize() {
    return options.blockSize();
  }

  /** The options the cache was opened with. */
  public CacheOptions options() {
    return options;
  }

  /** The cache folder. */
  public Path folder() {
    return folder;
  }

  /** A snapshot of the counters; see {@link CacheStats}. */
  public CacheStats stats() {
    long[] counts = table.counts();
    return new CacheStats(
        requests.sum(),
        bytesFetched.sum(),
        hits.sum(),
        misses.sum(),
        counts[2],
        counts[0],
        counts[1],
        options.maxCapacity() / options.blockSize(),
        options.blockSize(),
        adopted,
        dropped);
  }

  /** The table's free runs; for tests. */
  SlotRuns runsForTest() {
    return table.runsForTest();
  }

  /** Whether the block under {@code key} is cached and filled. */
  boolean isCached(BlockKey key) {
    CachedBlock b = table.lookup(key);
    return b != null && b.isFilled();
  }

  /** The block under {@code key} if cached and filled, pinned and counted as a hit; else null. */
  CachedBlock pinIfCached(BlockKey key) {
    CachedBlock b = table.lookup(key);
    if (b != null && b.isFilled() && b.tryPin()) {
      b.touch();
      hits.increment();
      return b;
    }
    return null;
  }

  /** Pins blocks [first, first + count) of {@code id}, fetching the missing ones; see CachedContent. */
  CachedBlock[] pin(ContentId id, long first, int count, BlockFetcher fetcher) throws IOException {
    CachedBlock[] out = new CachedBlock[count];
    int hit = 0;
    while (hit < count && (out[hit] = pinIfCached(new BlockKey(id, first + hit))) != null) {
      hit++;
    }
    if (hit == count) {
      return out;
    }
    Reservation r;
    try {
      r = table.reserve(id, first + hit, count - hit, true);
    } catch (IOException | RuntimeException e) {
      unpinAll(out);
      throw e;
    }
    for (CachedBlock b : r.present()) {
      out[(int) (b.index() - first)] = b;
      if (b.isFilled()) {
        b.touch();
        hits.increment();
      } else {
        misses.increment();
      }
    }
    IOException failure = null;
    for (List<CachedBlock> run : r.runs()) {
      misses.add(run.size());
      for (CachedBlock b : run) {
        out[(int) (b.index() - first)] = b;
      }
      IOException e = fetch(run, fetcher);
      failure = first(failure, e);
    }
    for (CachedBlock b : r.present()) {
      PrefetchRun queued = b.prefetch;
      if (queued != null && !b.isFilled() && queued.claim()) {
        runPrefetch(queued); // rather than wait behind the prefetch queue
      }
    }
    for (CachedBlock b : r.present()) {
      if (failure == null) {
        try {
          b.awaitFilled();
        } catch (IOException e) {
          out[(int) (b.index() - first)] = null; // awaitFilled released the pin
          failure = e;
        }
      }
    }
    if (failure != null) {
      unpinAll(out);
      throw failure;
    }
    return out;
  }

  /**
   * Pins block {@code index} of {@code id}, a miss: fetches it together with the blocks after it,
   * up to {@code ahead} of them, that are not in the table (stopping at the first that is), in one
   * call of the fetcher. Only block {@code index} stays pinned. If the cache has no room for the
   * read-ahead, fetches the block alone.
   */
  CachedBlock pinAhead(ContentId id, long index, int ahead, BlockFetcher fetcher) throws IOException {
    int count = 1;
    while (count <= ahead && table.lookup(new BlockKey(id, index + count)) == null) {
      count++;
    }
    CachedBlock[] blocks;
    try {
      blocks = pin(id, index, count, fetcher);
    } catch (CacheFullException e) {
      if (count == 1) {
        throw e;
      }
      blocks = pin(id, index, 1, fetcher); // read-ahead is a hint: not at the cost of the read
    }
    for (int i = 1; i < blocks.length; i++) {
      blocks[i].unpin();
    }
    return blocks[0];
  }

  /** Fetches the blocks of a reservation's runs in the background, if a permit is free. */
  void prefetch(ContentId id, long first, int count, BlockFetcher fetcher) {
    if (prefetcher == null || closed || allPresent(id, first, count) || !prefetchPermits.tryAcquire()) {
      return;
    }
    Reservation r;
    try {
      r = table.reserve(id, first, count, false);
    } catch (IOException | RuntimeException e) {
      prefetchPermits.release(); // full or closed: a prefetch is only a hint
      return;
    }
    if (r.runs().isEmpty()) {
      prefetchPermits.release();
      return;
    }
    List<PrefetchRun> runs = new ArrayList<>(r.runs().size());
    for (List<CachedBlock> run : r.runs()) {
      PrefetchRun p = new PrefetchRun(run, fetcher);
      run.forEach(b -> b.prefetch = p);
      runs.add(p);
    }
    try {
      prefetcher.execute(
          () -> {
            try {
              for (PrefetchRun p : runs) {
                if (p.claim()) {
                  runPrefetch(p);
                }
              }
            } finally {
              prefetchPermits.release();
            }
          });
    } catch (RejectedExecutionException e) {
      FetchFailedException cause = new FetchFailedException("prefetch refused", e);
      r.runs().forEach(run -> table.failed(run, cause));
      prefetchPermits.release();
    }
  }

  /** Fetches a claimed prefetch run and releases the prefetch's pins. */
  private void runPrefetch(PrefetchRun run) {
    fetch(run.blocks, run.fetcher);
    for (CachedBlock b : run.blocks) {
      b.prefetch = null;
      b.unpin();
    }
  }

  private boolean allPresent(ContentId id, long first, int count) {
    for (int i = 0; i < count; i++) {
      if (table.lookup(new BlockKey(id, first + i)) == null) {
        return false;
      }
    }
    return true;
  }

  /** Fetches one run into its blocks; returns the failure (blocks dropped) or null (blocks filled). */
  private FetchFailedException fetch(List<CachedBlock> run, BlockFetcher fetcher) {
    List<MemorySegment> targets = new ArrayList<>(run.size());
    long bytes = 0;
    for (CachedBlock b : run) {
      targets.add(b.segment());
      bytes += b.segment().byteSize();
    }
    requests.increment();
    try {
      fetcher.fetch(run.getFirst().index(), targets);
    } catch (Throwable t) {
      FetchFailedException e =
          new FetchFailedException(
              "fetch of blocks " + run.getFirst().index() + ".." + run.getLast().index() + " of content "
                  + run.getFirst().content() + " failed",
              t);
      table.failed(run, e);
      return e;
    }
    bytesFetched.add(bytes);
    if (journal != null) {
      record(run);
    }
    table.filled(run);
    return null;
  }

  /**
   * Journals the filled blocks of {@code run}, still pinned by the caller (so no eviction can be
   * journaled for them first). The checksum is taken from the slot itself, after the fetch wrote it.
   */
  private void record(List<CachedBlock> run) {
    List<byte[]> sums = new ArrayList<>(run.size());
    for (CachedBlock b : run) {
      byte[] sum;
      try {
        sum = BlockChecksum.of(b.segment());
      } catch (IllegalStateException e) {
        sum = null; // killed by close: not recorded, so never adopted
      }
      sums.add(sum);
    }
    journal.filled(run, sums);
  }

  /** The journal, or null for a throwaway cache; for tests. */
  CacheJournal journalForTest() {
    return journal;
  }

  private static IOException first(IOException failure, IOException next) {
    if (failure == null) {
      return next;
    }
    if (next != null) {
      failure.addSuppressed(next);
    }
    return failure;
  }

  private static void unpinAll(CachedBlock[] blocks) {
    for (CachedBlock b : blocks) {
      if (b != null) {
        b.unpin();
      }
    }
  }

  private static ThreadFactory daemonThreads(Path folder) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "regionstore-cache-prefetch-" + n.incrementAndGet() + " " + folder);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Stops prefetching, fails fetches still waited for, kills every view (later accesses throw
   * {@link IllegalStateException}), writes a persistent cache's dirty slots to disk (msync) and
   * then fsyncs its journal, unmaps and unlocks; a throwaway cache's file is deleted. Idempotent.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    if (prefetcher != null) {
      prefetcher.shutdownNow();
      try {
        prefetcher.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    table.close(); // closes the journal too, before the file's lock is released
  }
}
