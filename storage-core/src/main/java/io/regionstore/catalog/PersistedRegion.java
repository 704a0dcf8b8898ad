package io.regionstore.catalog;

/**
 * One sealed region as the catalog records it.
 *
 * @param name the region name
 * @param length the region's length in bytes
 * @param extents offset and length pairs, in region order; their lengths add up to the region
 *     length rounded up to the allocation alignment
 */
public record PersistedRegion(String name, long length, long[] extents) {}
