package io.regionstore.cache;

import java.util.List;

/**
 * What {@link BlockTable#reserve} did for a range of blocks: the blocks already present that it
 * pinned, and the runs of adjacent missing blocks it created (filling, pinned once, visible to
 * other callers, who wait for them), which the caller must fetch and then fill or fail.
 *
 * @param present pinned blocks that were cached or being filled by someone else, by range order;
 *     empty when the caller did not ask for them
 * @param runs runs of new blocks the caller owns, each a list of adjacent blocks in order
 */
record Reservation(List<CachedBlock> present, List<List<CachedBlock>> runs) {}
