package io.regionstore.remote;

import io.regionstore.cache.CacheStats;

/**
 * A snapshot of a {@link RemoteStore}'s activity, from {@link RemoteStore#stats()}.
 *
 * @param source where the packed file is, safe to print
 * @param version the file version the store reads now (the newest {@link RemoteStore#refresh()}
 *     found); this and the next four describe that version
 * @param generation the catalog generation of the store that was packed
 * @param regions regions in the packed file
 * @param fileLength the packed file's length in bytes
 * @param frontLength bytes of its front section (header, catalog, hot copies), read at open
 * @param requests requests the store's sources made ({@link RangeSource#requestCount()}), over
 *     every version: opening a source (at open and at each refresh, the probe), the fronts (one
 *     or two each), every block fetch (prefetches included) and every retry
 * @param bytesFetched bytes those requests returned (fronts and blocks)
 * @param openReaders region readers of this store open now, of any version
 * @param cache the counters of the slot cache the store reads through; a cache shared by several
 *     stores counts all of them (hits, misses, evictions, slots)
 */
public record RemoteStoreStats(
    String source,
    String version,
    long generation,
    int regions,
    long fileLength,
    long frontLength,
    long requests,
    long bytesFetched,
    int openReaders,
    CacheStats cache) {}
