package io.regionstore.cache;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run of blocks a prefetch reserved (filling, pinned once by the prefetch) whose fetch has not
 * necessarily started. Whoever claims it first fetches it: the prefetch thread, or a reader that
 * needs one of its blocks and would otherwise wait behind the prefetch queue. Thread-safe.
 */
final class PrefetchRun {
  final List<CachedBlock> blocks;
  final BlockFetcher fetcher;
  private final AtomicBoolean claimed = new AtomicBoolean();

  PrefetchRun(List<CachedBlock> blocks, BlockFetcher fetcher) {
    this.blocks = blocks;
    this.fetcher = fetcher;
  }

  /** Whether the caller is the one to fetch this run (true once, for the first caller). */
  boolean claim() {
    return claimed.compareAndSet(false, true);
  }
}
