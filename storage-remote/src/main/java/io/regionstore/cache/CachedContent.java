package io.regionstore.cache;

import java.io.IOException;

/**
 * The blocks of one content in a {@link SlotCache}, fetched by one {@link BlockFetcher} on a miss.
 * Made by {@link SlotCache#content}; a plain handle (content id, fetcher, cache), so it costs
 * nothing to keep one per reader.
 *
 * <p>Thread-safe.
 */
public final class CachedContent {
  private final SlotCache cache;
  private final ContentId id;
  private final BlockFetcher fetcher;
  private final long blockCount;
  /** Most blocks a miss fetches past the one it needs ({@link CacheOptions#maxReadAhead()}). */
  private final int maxAhead;

  CachedContent(SlotCache cache, ContentId id, BlockFetcher fetcher) {
    this.cache = cache;
    this.id = id;
    this.fetcher = fetcher;
    this.blockCount = id.blockCount(cache.blockSize());
    this.maxAhead = cache.options().maxReadAhead() / cache.blockSize();
  }

  /** The content. */
  public ContentId id() {
    return id;
  }

  /** Bytes per block. */
  public int blockSize() {
    return cache.blockSize();
  }

  /** Blocks of the content: ceil(length / blockSize). */
  public long blockCount() {
    return blockCount;
  }

  /**
   * Block {@code index}, pinned: from the cache on a hit (lock-free), else fetched (or, if another
   * caller is fetching it, waited for). Call {@link CachedBlock#unpin()} once when done.
   *
   * @throws IndexOutOfBoundsException if the content has no such block
   * @throws FetchFailedException if the fetch failed (the cause is the fetcher's exception)
   * @throws CacheFullException if every slot is pinned and the cache may not grow
   * @throws java.io.InterruptedIOException if interrupted while waiting for another's fetch
   * @throws IOException if the cache is closed or its file cannot grow
   */
  public CachedBlock pin(long index) throws IOException {
    checkRange(index, 1);
    CachedBlock b = cache.pinIfCached(new BlockKey(id, index));
    return b != null ? b : cache.pin(id, index, 1, fetcher)[0];
  }

  /**
   * Block {@code index}, pinned, as {@link #pin(long)}, reading ahead when the reader goes forward:
   * on a miss, if the {@code n} blocks right before {@code index} are cached, the fetch also brings
   * up to {@code n} blocks after it (those neither cached nor being fetched, stopping at the first
   * that is), in the same request, at most {@link CacheOptions#maxReadAhead()} bytes and never past
   * the content's end. A reader scanning forward thus doubles each request, as the kernel's
   * read-ahead does, while a random reader (no cached neighbour before its block) fetches only
   * what it reads. Call {@link CachedBlock#unpin()} once when done; the blocks read ahead stay
   * cached, unpinned.
   *
   * @throws IndexOutOfBoundsException if the content has no such block
   * @throws FetchFailedException if the fetch failed (nothing of it is cached)
   * @throws CacheFullException if every slot is pinned and the cache may not grow
   * @throws IOException as {@link #pin(long)}
   */
  public CachedBlock pinReadingAhead(long index) throws IOException {
    checkRange(index, 1);
    CachedBlock b = cache.pinIfCached(new BlockKey(id, index));
    if (b != null) {
      return b;
    }
    int limit = (int) Math.min(maxAhead, Math.min(blockCount - 1 - index, index));
    int behind = 0;
    while (behind < limit && cache.isCached(new BlockKey(id, index - behind - 1))) {
      behind++;
    }
    return behind == 0 ? cache.pin(id, index, 1, fetcher)[0] : cache.pinAhead(id, index, behind, fetcher);
  }

  /**
   * Blocks [first, first + count), pinned, in order. Each run of adjacent blocks that are neither
   * cached nor being fetched is fetched in one {@link BlockFetcher} call; blocks being fetched by
   * others are waited for. All or nothing: on failure no block stays pinned. Unpin each block once.
   *
   * @throws IndexOutOfBoundsException if the range is empty or reaches past the last block
   * @throws FetchFailedException if a fetch failed (the first failure; others are suppressed)
   * @throws CacheFullException if the slots for the missing blocks cannot be found because the rest
   *     are pinned (a range larger than the cache can never succeed)
   * @throws IOException as {@link #pin(long)}
   */
  public CachedBlock[] pin(long first, int count) throws IOException {
    checkRange(first, count);
    return cache.pin(id, first, count, fetcher);
  }

  /**
   * Starts fetching the blocks of [first, first + count) that are neither cached nor being fetched,
   * in the background, and returns at once. A later {@link #pin} of such a block waits for that
   * fetch instead of fetching again. A hint: silently does nothing if prefetching is off, too many
   * prefetches are queued, or no slot is free; a failed prefetch leaves no block behind.
   *
   * @throws IndexOutOfBoundsException if the range is empty or reaches past the last block
   */
  public void prefetch(long first, int count) {
    checkRange(first, count);
    cache.prefetch(id, first, count, fetcher);
  }

  /**
   * Whether block {@code index} is cached and filled now (a snapshot: it may be evicted at once).
   * Counts neither a hit nor a miss.
   *
   * @throws IndexOutOfBoundsException if the content has no such block
   */
  public boolean isCached(long index) {
    checkRange(index, 1);
    return cache.isCached(new BlockKey(id, index));
  }

  private void checkRange(long first, int count) {
    if (count < 1 || first < 0 || first > blockCount - count) {
      throw new IndexOutOfBoundsException(
          "blocks ["
              + first
              + ", "
              + (first + count)
              + ") of content "
              + id
              + ", which has "
              + blockCount
              + " blocks of "
              + cache.blockSize()
              + " bytes");
    }
  }

  @Override
  public String toString() {
    return "content " + id + " (" + blockCount + " blocks)";
  }
}
