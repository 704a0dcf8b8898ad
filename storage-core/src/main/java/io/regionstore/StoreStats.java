package io.regionstore;

/**
 * A snapshot of a store's size and activity, from {@link RegionStore#stats()}.
 *
 * @param fileSize size of the data file in bytes (whole chunks; the unused part is a sparse hole)
 * @param liveBytes bytes held by live regions' extents, sealed or being written
 * @param freeBytes bytes free for reuse now
 * @param pendingFreeBytes bytes freed but not reusable yet (waiting for a durable catalog or for
 *     readers in other processes that may still read them)
 * @param heldByReadersBytes bytes of deleted or moved regions that readers in this process still
 *     have open; they become pending when the last such reader closes
 * @param regions number of regions in the namespace
 * @param extents extents held by live regions
 * @param freeExtents free extents
 * @param mappedChunks chunks of the data file this process has mapped
 * @param chunkSize bytes per chunk
 * @param generation the newest durable catalog generation (loaded generation, when read-only)
 * @param dataSyncs fdatasync calls on the data file since open
 * @param catalogSyncs catalog slot writes made durable since open
 * @param openReaders region readers open in this process
 * @param openWriters region writers open in this process
 * @param readerProcesses read-only processes (live ones; this one included if it has a read-only
 *     store open) that pin a catalog generation, holding the space it references from reuse
 * @param allocatedBytes bytes the data file occupies on disk ({@code st_blocks * 512}, what {@code
 *     du} shows), or -1 where the OS cannot tell (not Linux, native access not enabled, or a
 *     file system other than the default)
 * @param punchedBytes free bytes given back to the file system (holes punched) since open
 */
public record StoreStats(
    long fileSize,
    long liveBytes,
    long freeBytes,
    long pendingFreeBytes,
    long heldByReadersBytes,
    int regions,
    int extents,
    int freeExtents,
    int mappedChunks,
    long chunkSize,
    long generation,
    long dataSyncs,
    long catalogSyncs,
    int openReaders,
    int openWriters,
    int readerProcesses,
    long allocatedBytes,
    long punchedBytes) {}
