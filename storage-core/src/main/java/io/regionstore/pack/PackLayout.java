package io.regionstore.pack;

import java.util.UUID;

/**
 * Where everything went in a packed file that {@link PackedFileWriter} wrote. The file is exactly
 * {@code fileLength} bytes: {@code frontLength + regionBytes}, where {@code frontLength} is {@code
 * align64(hotOffset + hotLength)} and {@code regionBytes} the sum of every region's length rounded
 * up to 64.
 *
 * @param generation the catalog generation packed
 * @param storeId the store id, derived from the content
 * @param chunkSize the chunk size the file declares
 * @param regionCount how many regions
 * @param catalogLength bytes of the catalog body (at {@link PackFormat#CATALOG_OFFSET})
 * @param indexOffset where the pack index starts
 * @param indexLength bytes of the pack index
 * @param hotOffset where the hot copies start (right after the index)
 * @param hotLength bytes of hot copies
 * @param hotRanges how many hot ranges (after merging)
 * @param frontLength bytes of the front; the first region starts here
 * @param regionBytes bytes of regions with their padding
 * @param fileLength the file's length
 */
public record PackLayout(
    long generation,
    UUID storeId,
    long chunkSize,
    int regionCount,
    long catalogLength,
    long indexOffset,
    long indexLength,
    long hotOffset,
    long hotLength,
    int hotRanges,
    long frontLength,
    long regionBytes,
    long fileLength) {}
