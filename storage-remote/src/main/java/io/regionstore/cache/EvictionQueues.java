package io.regionstore.cache;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The eviction policy, S3-FIFO (Yang et al., SOSP 2023): a small FIFO queue for newly admitted
 * blocks (a tenth of the slots), a main FIFO queue for the rest, and a ghost queue remembering the
 * keys recently evicted from the small queue.
 *
 * <p>A new block enters the small queue, unless its key is a ghost (it was evicted recently and is
 * wanted again), then it enters the main queue. When a slot is needed: while the small queue holds
 * more than its share, its oldest block leaves it, moving to the main queue if it was read since
 * admission (keeping its use count), else evicted (its key becomes a ghost); otherwise the main
 * queue's oldest block is evicted if its use count (reads, at most 3) is 0, else the count drops by
 * one and the block goes back to the tail (CLOCK within the main queue).
 *
 * <p>Why S3-FIFO and not plain CLOCK or LRU: a scan (a merge reading whole files, a phrase query
 * walking long postings) reads each block once; those blocks pass through the small queue and
 * leave it without touching the blocks in the main queue, which only blocks read twice reach. CLOCK
 * would let a long scan sweep out the whole working set. Hits only set a counter (no queue moves,
 * no lock), which keeps the hit path cheap.
 *
 * <p>Pinned blocks (and blocks being filled) are skipped and stay where they are in order. Not
 * thread-safe: used under the {@link BlockTable}'s lock.
 */
final class EvictionQueues {
  private final ArrayDeque<CachedBlock> small = new ArrayDeque<>();
  private final ArrayDeque<CachedBlock> main = new ArrayDeque<>();
  private final LinkedHashSet<BlockKey> ghosts = new LinkedHashSet<>();
  private final int smallShare;
  private final int ghostLimit;

  /** Queues for a cache of at most {@code maxSlots} slots. */
  EvictionQueues(int maxSlots) {
    this.smallShare = Math.max(1, maxSlots / 10);
    this.ghostLimit = maxSlots;
  }

  /** Enters a new block: the main queue if its key is a ghost, else the small queue. */
  void admit(CachedBlock block) {
    block.setUses(0);
    if (ghosts.remove(block.key)) {
      block.inMain = true;
      main.addLast(block);
    } else {
      block.inMain = false;
      small.addLast(block);
    }
  }

  /** Removes a block that leaves without eviction (its fetch failed). */
  void remove(CachedBlock block) {
    removeIdentity(block.inMain ? main : small, block);
  }

  /**
   * Picks a victim and retires it ({@link CachedBlock#tryRetire}); it has left the queues. Returns
   * null if every block is pinned (or held by a native call).
   */
  CachedBlock evict() {
    // Each unpinned block is evicted within 5 looks (1 in small, up to 4 in main): bound the search.
    long budget = 5L * size() + 1;
    int pinnedInARow = 0;
    while (budget-- > 0 && size() > 0 && pinnedInARow < size()) {
      boolean fromSmall = !small.isEmpty() && (small.size() > smallShare || main.isEmpty());
      ArrayDeque<CachedBlock> queue = fromSmall ? small : main;
      CachedBlock b = queue.pollFirst();
      if (b.pins() != 0) {
        queue.addLast(b);
        pinnedInARow++;
        continue;
      }
      pinnedInARow = 0;
      if (b.uses() > 0) {
        if (fromSmall) {
          b.inMain = true; // keeps its uses: a block read often survives longer in main
          main.addLast(b);
        } else {
          b.setUses(b.uses() - 1);
          main.addLast(b);
        }
      } else if (b.tryRetire()) {
        if (fromSmall) {
          remember(b.key);
        }
        return b;
      } else {
        queue.addLast(b);
      }
    }
    // The queue the rule looks at may be all pinned while the other one is not.
    CachedBlock victim = retireAny(small);
    if (victim != null) {
      remember(victim.key);
      return victim;
    }
    return retireAny(main);
  }

  private static CachedBlock retireAny(ArrayDeque<CachedBlock> queue) {
    for (Iterator<CachedBlock> it = queue.iterator(); it.hasNext(); ) {
      CachedBlock b = it.next();
      if (b.pins() == 0 && b.tryRetire()) {
        it.remove();
        return b;
      }
    }
    return null;
  }

  /** Blocks in the queues (every block that holds a slot). */
  int size() {
    return small.size() + main.size();
  }

  /** Every block in the queues, small queue first; for closing and tests. */
  Iterable<CachedBlock> blocks() {
    ArrayDeque<CachedBlock> all = new ArrayDeque<>(small);
    all.addAll(main);
    return all;
  }

  /** Whether {@code key} is a ghost; for tests. */
  boolean isGhost(BlockKey key) {
    return ghosts.contains(key);
  }

  private void remember(BlockKey key) {
    ghosts.add(key);
    if (ghosts.size() > ghostLimit) {
      Iterator<BlockKey> oldest = ghosts.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private static void removeIdentity(ArrayDeque<CachedBlock> queue, CachedBlock block) {
    for (Iterator<CachedBlock> it = queue.iterator(); it.hasNext(); ) {
      if (it.next() == block) {
        it.remove();
        return;
      }
    }
  }
}
