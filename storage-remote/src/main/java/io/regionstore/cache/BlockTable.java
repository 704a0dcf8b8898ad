package io.regionstore.cache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The slot table: which block each slot holds, and the one place where slots change hands.
 *
 * <p>Lookups ({@link #lookup}) are a lock-free {@link ConcurrentHashMap} read. Everything that
 * changes the table (admitting new blocks, growing the file, evicting, failing a fetch, closing)
 * holds one lock; a miss takes it once for its whole range, and never while a fetch runs.
 *
 * <p>Thread-safe.
 */
final class BlockTable implements AutoCloseable {
  /** How long after a failed growth the file stays at its size: 10 s. */
  static final long GROWTH_RETRY_NANOS = 10_000_000_000L;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentHashMap<BlockKey, CachedBlock> blocks = new ConcurrentHashMap<>();
  private final SlotFile file;
  private final SlotRuns runs = new SlotRuns();
  private final EvictionQueues queues;
  private final int blockSize;
  private long evictions;
  /** When growth failed last (System.nanoTime), or 0; it is retried no sooner than a while later. */
  private long growthFailedAt;
  /** Failed blocks whose view a native call still held: their slots are never reused. */
  private final List<CachedBlock> lost = new ArrayList<>();
  private boolean closed;

  /** Records evictions (FREED) for a persistent cache, else null. */
  private final CacheJournal journal;

  /** An empty table over {@code file}, recording evictions in {@code journal} if not null. */
  BlockTable(SlotFile file, int blockSize, CacheJournal journal) {
    this.file = file;
    this.blockSize = blockSize;
    this.journal = journal;
    this.queues = new EvictionQueues(file.maxSlots());
  }

  /**
   * Takes in blocks a restarted cache found in its slots (checked against their checksums): each
   * becomes a filled, unpinned block, admitted in the order given (oldest first); the slots between
   * them are free. Call once, before the table is used.
   */
  void adopt(List<CacheJournal.Claim> claims) {
    lock.lock();
    try {
      int top = -1;
      boolean[] taken = new boolean[file.slots()];
      for (CacheJournal.Claim c : claims) {
        BlockKey key = c.key();
        long length = Math.min(blockSize, key.content().length() - key.index() * blockSize);
        CachedBlock b = new CachedBlock(key, c.slot(), file.slot(c.slot()), length);
        b.markFilled();
        b.unpin();
        queues.admit(b);
        blocks.put(key, b);
        taken[c.slot()] = true;
        top = Math.max(top, c.slot());
      }
      runs.takeBump(top + 1);
      for (int s = 0; s <= top; s++) {
        if (!taken[s]) {
          runs.free(s);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The block cached (or being filled) under {@code key}, or null; lock-free. */
  CachedBlock lookup(BlockKey key) {
    return blocks.get(key);
  }

  /**
   * Pins the present blocks of [first, first + count) of {@code content} (only if {@code
   * pinPresent}) and creates the missing ones, filling and pinned by the caller, grouped into runs
   * of adjacent blocks. All or nothing: if the slots cannot be found, nothing is pinned or created.
   *
   * @throws CacheFullException if every slot is pinned and the file is at its maximum size
   * @throws IOException if the cache is closed
   */
  Reservation reserve(ContentId content, long first, int count, boolean pinPresent) throws IOException {
    List<CachedBlock> present = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    lock.lock();
    try {
      checkOpen();
      for (int i = 0; i < count; i++) {
        CachedBlock b = blocks.get(new BlockKey(content, first + i));
        if (b != null && !b.isFailed()) {
          if (pinPresent) {
            if (!b.tryPin()) {
              throw new IllegalStateException("retired " + b + " is still in the table");
            }
            present.add(b);
          }
        } else {
          missing.add(i);
        }
      }
      List<List<CachedBlock>> created;
      try {
        created = create(content, first, missing);
      } catch (IOException | RuntimeException e) {
        present.forEach(CachedBlock::unpin);
        throw e;
      }
      return new Reservation(present, created);
    } finally {
      lock.unlock();
    }
  }

  private List<List<CachedBlock>> create(ContentId content, long first, List<Integer> missing)
      throws IOException {
    List<List<CachedBlock>> created = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    try {
      for (int i = 0; i < missing.size(); ) {
        int j = i + 1;
        while (j < missing.size() && missing.get(j) == missing.get(j - 1) + 1) {
          j++;
        }
        allocate(j - i, taken);
        i = j;
      }
    } catch (IOException | RuntimeException e) {
      taken.forEach(runs::free);
      throw e;
    }
    List<CachedBlock> run = null;
    for (int n = 0; n < missing.size(); n++) {
      long index = first + missing.get(n);
      BlockKey key = new BlockKey(content, index);
      long length = Math.min(blockSize, content.length() - index * blockSize);
      CachedBlock b = new CachedBlock(key, taken.get(n), file.slot(taken.get(n)), length);
      queues.admit(b);
      blocks.put(key, b);
      if (n == 0 || missing.get(n) != missing.get(n - 1) + 1) {
        run = new ArrayList<>();
        created.add(run);
      }
      run.add(b);
    }
    return created;
  }

  /** Appends {@code k} slots to {@code taken}, contiguous if it can (policy: {@link SlotRuns}). */
  private void allocate(int k, List<Integer> taken) throws IOException {
    int start = runs.takeExact(k);
    if (start < 0 && grow(runs.bump() + k)) {
      start = runs.takeBump(k);
    }
    if (start < 0) {
      start = runs.takeBestFit(k);
    }
    if (start >= 0) {
      for (int s = start; s < start + k; s++) {
        taken.add(s);
      }
      return;
    }
    for (int i = 0; i < k; i++) {
      int s = runs.takeOne();
      if (s < 0 && grow(runs.bump() + 1)) {
        s = runs.takeBump(1);
      }
      if (s < 0) {
        s = evictOne();
      }
      taken.add(s);
    }
  }

  /**
   * Grows the file to {@code slots} if it may. A failed growth (e.g. a full disk) is not the miss's
   * failure: the cache goes on at its current size, evicting, and tries to grow again after {@link
   * #GROWTH_RETRY_NANOS}.
   */
  private boolean grow(int slots) {
    if (growthFailedAt != 0 && System.nanoTime() - growthFailedAt < GROWTH_RETRY_NANOS) {
      return false;
    }
    try {
      boolean grown = file.grow(slots);
      growthFailedAt = 0;
      return grown;
    } catch (IOException e) {
      growthFailedAt = System.nanoTime() | 1;
      return false;
    }
  }

  private int evictOne() throws CacheFullException {
    CachedBlock victim = queues.evict();
    if (victim == null) {
      throw new CacheFullException(
          "cache "
              + file.path()
              + " is full: all "
              + queues.size()
              + " blocks in its "
              + file.slots()
              + " slots of "
              + blockSize
              + " bytes are pinned or being filled, and it may not grow past "
              + (long) file.maxSlots() * blockSize
              + " bytes");
    }
    blocks.remove(victim.key, victim);
    evictions++;
    if (journal != null) {
      journal.freed(victim.slot); // before the slot's next occupant can be recorded
    }
    return victim.slot;
  }

  /** The fetch of {@code run} succeeded: its blocks become readable (still pinned by the caller). */
  void filled(List<CachedBlock> run) {
    for (CachedBlock b : run) {
      b.markFilled();
    }
  }

  /**
   * The fetch of {@code run} failed: its blocks leave the table (their slots are free again) and
   * every waiter gets {@code cause}. The caller's pins die with the blocks.
   */
  void failed(List<CachedBlock> run, FetchFailedException cause) {
    lock.lock();
    try {
      for (CachedBlock b : run) {
        if (closed) {
          continue; // close() killed it
        }
        blocks.remove(b.key, b);
        queues.remove(b);
        if (b.markFailed(cause)) {
          runs.free(b.slot);
        } else {
          lost.add(b); // a native call still holds the view: never reuse this slot
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Slots holding a block or being filled, slots in the file, evictions so far. */
  long[] counts() {
    lock.lock();
    try {
      return new long[] {queues.size() + lost.size(), file.slots(), evictions};
    } finally {
      lock.unlock();
    }
  }

  /** Free runs below the bump pointer; for tests. */
  SlotRuns runsForTest() {
    return runs;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("cache " + file.path() + " is closed");
    }
  }

  /**
   * Kills every block's views, fails pending fetches, then for a persistent cache writes the slots
   * to disk and closes the journal (fsynced), then closes the file (see {@link SlotFile#close}). Waits for
   * native calls that hold a view (e.g. a channel read into it) to return first.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      FetchFailedException cause =
          new FetchFailedException("cache closed", new IOException("cache " + file.path() + " is closed"));
      // Every view must be dead before the file is unmapped under it.
      List<CachedBlock> all = new ArrayList<>(lost);
      queues.blocks().forEach(all::add);
      for (CachedBlock b : all) {
        while (!b.kill(cause)) {
          LockSupport.parkNanos(100_000); // until the native call holding its view returns
        }
      }
      blocks.clear();
      // The journal closes while the file is still locked: no other cache may open the folder
      // and write the journal before this one's last records are in it.
      try {
        if (journal != null) {
          try {
            file.force(); // a clean close keeps every block through a power loss
          } finally {
            journal.close();
          }
        }
      } finally {
        file.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
