package io.regionstore.pack;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The parsed front section of a packed file ({@link PackedFileReader#parse}): the generation, the
 * regions in catalog order with lookup by name, and the hot ranges whose bytes the front holds.
 * Every field has passed every check. Immutable and thread-safe.
 *
 * <p>The view keeps a reference to the front's bytes ({@link #front()}); whoever parsed them must
 * not change them afterwards.
 */
public final class PackedFront {
  private final PackHeader header;
  private final long generation;
  private final List<PackedRegion> regions;
  private final Map<String, PackedRegion> byName;
  private final List<HotRange> hotRanges;
  /** Per region index: the first of its hot ranges and how many it has (sorted by offset). */
  private final int[] firstHot;
  private final int[] hotCount;
  private final ByteBuffer front;

  PackedFront(PackHeader header, long generation, List<PackedRegion> regions, List<HotRange> hotRanges,
      int[] hotRegion, ByteBuffer front) {
    this.header = header;
    this.generation = generation;
    this.regions = List.copyOf(regions);
    this.byName = new HashMap<>(regions.size() * 4 / 3 + 1);
    for (PackedRegion r : regions) {
      byName.put(r.name(), r);
    }
    this.hotRanges = List.copyOf(hotRanges);
    this.firstHot = new int[regions.size()];
    this.hotCount = new int[regions.size()];
    Arrays.fill(firstHot, -1);
    for (int i = 0; i < hotRegion.length; i++) {
      if (firstHot[hotRegion[i]] < 0) {
        firstHot[hotRegion[i]] = i;
      }
      hotCount[hotRegion[i]]++;
    }
    this.front = front.asReadOnlyBuffer();
  }

  /** The catalog generation of the store that was packed. */
  public long generation() {
    return generation;
  }

  /** The store id: derived from the content (equal content, equal id), repeated in the catalog. */
  public UUID storeId() {
    return header.storeId();
  }

  /** The chunk size the file declares ({@link PackFormat#chunkSizeFor}). */
  public long chunkSize() {
    return header.chunkSize();
  }

  /** The packed file's exact length in bytes. */
  public long fileLength() {
    return header.fileLength();
  }

  /** The front section's length: regions start here. */
  public long frontLength() {
    return header.frontLength();
  }

  /** The regions in catalog order (sorted by name). */
  public List<PackedRegion> regions() {
    return regions;
  }

  /** The region of that name, or null if there is none. */
  public PackedRegion region(String name) {
    return byName.get(name);
  }

  /** Every hot range, ordered by region (catalog order) and then offset. */
  public List<HotRange> hotRanges() {
    return hotRanges;
  }

  /** The hot ranges of {@code region} (a region of this front), ordered by offset. */
  public List<HotRange> hotRanges(PackedRegion region) {
    int first = firstHot[region.index()];
    return first < 0 ? List.of() : hotRanges.subList(first, first + hotCount[region.index()]);
  }

  /**
   * The hot range holding all of {@code [offset, offset + length)} of region {@code name}, or null
   * if none does (the read then needs the region's bytes from the file).
   */
  public HotRange hotRange(String name, long offset, long length) {
    PackedRegion r = byName.get(name);
    if (r == null || hotCount[r.index()] == 0) {
      return null;
    }
    int lo = firstHot[r.index()];
    int hi = lo + hotCount[r.index()] - 1;
    while (lo < hi) { // the last range starting at or before offset
      int mid = (lo + hi + 1) >>> 1;
      if (hotRanges.get(mid).regionOffset() <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    HotRange h = hotRanges.get(lo);
    return h.covers(offset, length) ? h : null;
  }

  /** The copy of {@code range} (one of {@link #hotRanges()}), read-only. */
  public ByteBuffer hotBytes(HotRange range) {
    return front.slice((int) range.frontOffset(), (int) range.length());
  }

  /** The front's bytes, read-only, position 0 at file offset 0. */
  public ByteBuffer front() {
    return front.duplicate();
  }

  /** Where the hot copies start in the front (right after the pack index). */
  public long hotOffset() {
    return header.indexOffset() + header.indexLength();
  }

  /** Where the pack index starts in the front. */
  public long indexOffset() {
    return header.indexOffset();
  }
}
