package io.regionstore;

import io.regionstore.alloc.SpaceAllocator;
import io.regionstore.catalog.CatalogSlots;
import io.regionstore.catalog.PersistedRegion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rebuilds a writer's free space at open from the two catalog generations.
 *
 * <p>Nothing about space is stored: whatever neither generation references (with its regions or
 * its catalog body) is unused. Space only the older generation references is freed at the newest
 * generation (reusable once the next catalog write is durable); space neither references was freed
 * at the older generation or before, so it is held back only while a reader in another process
 * pins a generation older than that.
 */
final class SpaceRecovery {
  private SpaceRecovery() {}

  static void recover(
      SpaceAllocator space, CatalogSlots.Loaded loaded, long dataStart, long fileSize, long chunkSize) {
    Set<Extent> newest = new HashSet<>();
    for (PersistedRegion r : loaded.newest().regions()) {
      addExtents(r.extents(), newest);
    }
    addExtents(loaded.newestBody(), newest);
    TreeMap<Long, Long> newestByOffset = new TreeMap<>();
    for (Extent e : newest) {
      newestByOffset.put(e.offset, e.length);
    }
    Set<Extent> referenced = new HashSet<>(newest);
    long freedBefore = loaded.newest().generation();
    if (loaded.older() != null) {
      freedBefore = loaded.older().generation();
      Set<Extent> older = new HashSet<>();
      for (PersistedRegion r : loaded.older().regions()) {
        addExtents(r.extents(), older);
      }
      addExtents(loaded.olderBody(), older);
      for (Extent e : older) {
        if (!newest.contains(e) && !overlapsAny(e, newestByOffset) && e.offset + e.length <= fileSize) {
          space.retire(loaded.newest().generation(), new long[] {e.offset, e.length});
          referenced.add(e);
        }
      }
    }
    Extent[] sorted = referenced.toArray(new Extent[0]);
    Arrays.sort(sorted, (a, b) -> Long.compare(a.offset, b.offset));
    List<long[]> gaps = new ArrayList<>();
    long cursor = dataStart;
    for (Extent e : sorted) {
      if (e.offset > cursor) {
        addGap(gaps, cursor, e.offset, chunkSize);
      }
      cursor = Math.max(cursor, e.offset + e.length);
    }
    if (fileSize > cursor) {
      addGap(gaps, cursor, fileSize, chunkSize);
    }
    for (long[] gap : gaps) {
      space.retire(freedBefore, gap);
    }
    space.releasePending();
  }

  private static void addExtents(long[] x, Set<Extent> into) {
    for (int i = 0; i < x.length; i += 2) {
      into.add(new Extent(x[i], x[i + 1]));
    }
  }

  // Only identical extents are shared between slots: new space is taken only from space both
  // slots leave out. Anything else would be a damaged older slot; its overlapping extent is then
  // neither freed nor reused, which wastes space but cannot corrupt.
  private static boolean overlapsAny(Extent e, TreeMap<Long, Long> byOffset) {
    Map.Entry<Long, Long> below = byOffset.floorEntry(e.offset);
    if (below != null && below.getKey() + below.getValue() > e.offset) {
      return true;
    }
    Map.Entry<Long, Long> above = byOffset.ceilingEntry(e.offset);
    return above != null && above.getKey() < e.offset + e.length;
  }

  private static void addGap(List<long[]> gaps, long start, long end, long chunkSize) {
    long s = start;
    while (s < end) {
      long chunkEnd = (s / chunkSize + 1) * chunkSize;
      long e = Math.min(end, chunkEnd);
      gaps.add(new long[] {s, e - s});
      s = e;
    }
  }

  private record Extent(long offset, long length) {}
}
