package io.regionstore.catalog;

/**
 * One sealed region as the catalog records it.
 *
 * @param name the region name
 * @param length the region's length in bytes
 * @param crc CRC32C of the region's bytes, which lets recovery tell whether a region written just
 *     before a power loss reached the disk whole
 * @param extents offset and length pairs, in region order; their lengths add up to the region
 *     length rounded up to the allocation alignment
 */
public record PersistedRegion(String name, long length, int crc, long[] extents) {}
