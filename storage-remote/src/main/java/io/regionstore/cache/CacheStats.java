package io.regionstore.cache;

/**
 * A snapshot of a {@link SlotCache}'s counters, cumulative since it opened. Counters are read
 * without stopping the cache, so under concurrent use they are each exact but not taken at one
 * instant.
 *
 * @param requests fetch callback calls (one per run of adjacent missing blocks, prefetches included)
 * @param bytesFetched bytes those calls filled
 * @param hits blocks pinned for a read that were cached and filled
 * @param misses blocks pinned for a read that were not: fetched by that read, or waited for while
 *     another read or a prefetch fetched them (prefetches themselves count neither)
 * @param evictions blocks evicted to make room
 * @param slotsUsed slots holding a block or being filled now
 * @param slots slots the cache file has now
 * @param maxSlots slots the cache file may grow to
 * @param blockSize bytes per slot
 * @param adopted blocks a persistent cache took back from its folder at open (bytes verified)
 * @param dropped blocks the journal named at open that were not taken back (bytes did not match
 *     their checksum, or the slot or block no longer exists)
 */
public record CacheStats(
    long requests,
    long bytesFetched,
    long hits,
    long misses,
    long evictions,
    long slotsUsed,
    long slots,
    long maxSlots,
    int blockSize,
    long adopted,
    long dropped) {

  /** Size of the cache file now: {@code slots * blockSize}. */
  public long fileBytes() {
    return slots * blockSize;
  }

  /** The size the cache file may grow to: {@code maxSlots * blockSize}. */
  public long capacityBytes() {
    return maxSlots * blockSize;
  }
}
