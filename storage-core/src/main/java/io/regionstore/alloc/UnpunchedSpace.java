package io.regionstore.alloc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The free space that may still occupy disk blocks: freed since it was last given back to the file
 * system (by punching a hole), as a set of disjoint ranges that merge when they touch, across chunk
 * boundaries too (a hole may span chunks).
 *
 * <p>It is always a subset of the free space: {@link SpaceAllocator} adds what it frees and removes
 * what it hands out. A new chunk is not added: it is a hole until written.
 *
 * <p>Not thread-safe: {@link SpaceAllocator} guards it.
 */
public final class UnpunchedSpace {
  /** Holes are punched in whole pages of this size; a partial page is never punched. */
  public static final long PAGE = 4096;

  private final TreeMap<Long, Long> endByStart = new TreeMap<>();
  private long bytes;

  /** Adds a freed range, merging it with ranges it touches. */
  public void add(long offset, long length) {
    long start = offset;
    long end = offset + length;
    Map.Entry<Long, Long> below = endByStart.floorEntry(start);
    if (below != null && below.getValue() >= start) {
      start = below.getKey();
      end = Math.max(end, below.getValue());
      drop(below.getKey(), below.getValue());
    }
    Map.Entry<Long, Long> above;
    while ((above = endByStart.ceilingEntry(start)) != null && above.getKey() <= end) {
      end = Math.max(end, above.getValue());
      drop(above.getKey(), above.getValue());
    }
    put(start, end);
  }

  /** Removes a range (space handed out again): whatever part of it is in the set. */
  public void remove(long offset, long length) {
    long start = offset;
    long end = offset + length;
    Map.Entry<Long, Long> e = endByStart.floorEntry(start);
    if (e == null || e.getValue() <= start) {
      e = endByStart.ceilingEntry(start);
    }
    while (e != null && e.getKey() < end) {
      long s = e.getKey();
      long t = e.getValue();
      drop(s, t);
      if (s < start) {
        put(s, start);
      }
      if (t > end) {
        put(end, t);
      }
      e = endByStart.higherEntry(s);
    }
  }

  /** Forgets everything at or beyond {@code end} (the file was cut there). */
  public void truncate(long end) {
    remove(end, Long.MAX_VALUE - end);
  }

  /**
   * Takes out the whole pages of every range that hold at least {@code minLength} bytes of them,
   * for punching; a range's partial pages at either end stay in the set.
   *
   * @param minLength a multiple of {@link #PAGE}, at least one page
   * @return offset and length pairs, page aligned, in offset order
   */
  public long[] takeRuns(long minLength) {
    List<long[]> runs = new ArrayList<>();
    for (Map.Entry<Long, Long> e : endByStart.entrySet()) {
      long start = (e.getKey() + PAGE - 1) & -PAGE;
      long end = e.getValue() & -PAGE;
      if (end - start >= minLength) {
        runs.add(new long[] {start, end - start});
      }
    }
    long[] flat = new long[2 * runs.size()];
    for (int i = 0; i < runs.size(); i++) {
      remove(runs.get(i)[0], runs.get(i)[1]);
      flat[2 * i] = runs.get(i)[0];
      flat[2 * i + 1] = runs.get(i)[1];
    }
    return flat;
  }

  /** Bytes in the set. */
  public long bytes() {
    return bytes;
  }

  /** Forgets everything (punching was turned off). */
  public void clear() {
    endByStart.clear();
    bytes = 0;
  }

  /** A copy of the ranges, start to end, in offset order (for checks and tests). */
  public TreeMap<Long, Long> snapshot() {
    return new TreeMap<>(endByStart);
  }

  private void put(long start, long end) {
    endByStart.put(start, end);
    bytes += end - start;
  }

  private void drop(long start, long end) {
    endByStart.remove(start);
    bytes -= end - start;
  }
}
