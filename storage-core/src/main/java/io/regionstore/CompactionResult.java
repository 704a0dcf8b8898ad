package io.regionstore;

/**
 * What {@link RegionStore#compact()} did.
 *
 * @param regionsMoved regions rewritten to lower offsets
 * @param bytesMoved bytes copied
 * @param fileSizeBefore data file size before
 * @param fileSizeAfter data file size after (space that open readers still pin cannot be cut off)
 */
public record CompactionResult(
    int regionsMoved, long bytesMoved, long fileSizeBefore, long fileSizeAfter) {}
