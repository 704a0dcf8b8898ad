package io.regionstore.alloc;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reusable free extents of a data file: a best-fit free list indexed by size, which merges an
 * extent with its free neighbours when it is added.
 *
 * <p>No free extent crosses a chunk boundary, so every extent handed out lies inside one mapping
 * and reads as one memory segment. A chunk boundary therefore stops merging.
 *
 * <p>Not thread-safe: {@link SpaceAllocator} guards it.
 */
public final class FreeSpace {
  private final long chunkSize;
  private final TreeMap<Long, Long> byOffset = new TreeMap<>();
  private final TreeSet<long[]> bySize =
      new TreeSet<>(
          (a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[0], b[0]));
  private long bytes;

  /** @param chunkSize the data file's chunk size, a power of two */
  public FreeSpace(long chunkSize) {
    this.chunkSize = chunkSize;
  }

  /**
   * Adds a free extent and merges it with free neighbours in the same chunk.
   *
   * @throws IllegalStateException if the extent overlaps free space (a double free) or crosses a
   *     chunk boundary: both mean the caller's bookkeeping is broken
   */
  public void add(long offset, long length) {
    if (length <= 0 || offset < 0) {
      throw new IllegalStateException("bad free extent [" + offset + ", +" + length + ")");
    }
    if (offset / chunkSize != (offset + length - 1) / chunkSize) {
      throw new IllegalStateException(
          "free extent [" + offset + ", " + (offset + length) + ") crosses a chunk boundary");
    }
    Map.Entry<Long, Long> before = byOffset.floorEntry(offset);
    if (before != null && before.getKey() + before.getValue() > offset) {
      throw doubleFree(offset, length, before);
    }
    Map.Entry<Long, Long> after = byOffset.ceilingEntry(offset);
    if (after != null && after.getKey() < offset + length) {
      throw doubleFree(offset, length, after);
    }
    bytes += length;
    if (before != null && before.getKey() + before.getValue() == offset && offset % chunkSize != 0) {
      remove(before.getKey(), before.getValue());
      offset = before.getKey();
      length += before.getValue();
    }
    long end = offset + length;
    if (after != null && after.getKey() == end && end % chunkSize != 0) {
      remove(after.getKey(), after.getValue());
      length += after.getValue();
    }
    put(offset, length);
  }

  /**
   * Takes {@code length} bytes from the smallest free extent that holds them.
   *
   * @return the offset of the taken bytes, or -1 if no free extent is large enough
   */
  public long allocate(long length) {
    long[] fit = bySize.ceiling(new long[] {-1, length});
    if (fit == null) {
      return -1;
    }
    return takeFront(fit[0], fit[1], length);
  }

  /**
   * Takes {@code length} bytes from the lowest-addressed free extent that holds them (first fit).
   *
   * @return the offset of the taken bytes, or -1 if no free extent is large enough
   */
  public long allocateFirstFit(long length) {
    for (Map.Entry<Long, Long> e : byOffset.entrySet()) {
      if (e.getValue() >= length) {
        return takeFront(e.getKey(), e.getValue(), length);
      }
    }
    return -1;
  }

  /**
   * Takes up to {@code want} bytes from the free extent that starts exactly at {@code end}, so that
   * an extent ending there can grow in place.
   *
   * @return how many bytes were taken (0 if {@code end} does not start a free extent or is a chunk
   *     boundary)
   */
  public long extend(long end, long want) {
    if (end % chunkSize == 0) {
      return 0;
    }
    Long length = byOffset.get(end);
    if (length == null) {
      return 0;
    }
    long taken = Math.min(want, length);
    takeFront(end, length, taken);
    return taken;
  }

  /**
   * Takes up to {@code want} bytes from the lowest free extent that starts below {@code limit}.
   *
   * @return {offset, length} of the taken bytes, or null if no free extent starts below {@code
   *     limit}
   */
  public long[] allocateLowest(long want, long limit) {
    Map.Entry<Long, Long> first = byOffset.firstEntry();
    if (first == null || first.getKey() >= limit) {
      return null;
    }
    long length = Math.min(want, Math.min(first.getValue(), limit - first.getKey()));
    takeFront(first.getKey(), first.getValue(), length);
    return new long[] {first.getKey(), length};
  }

  /**
   * Forgets all free space at or beyond {@code end}, after the data file was truncated there.
   *
   * @throws IllegalStateException if a free extent straddles {@code end}
   */
  public void truncate(long end) {
    Map.Entry<Long, Long> straddling = byOffset.lowerEntry(end);
    if (straddling != null && straddling.getKey() + straddling.getValue() > end) {
      throw new IllegalStateException("free extent straddles truncation point " + end);
    }
    for (Map.Entry<Long, Long> e : Map.copyOf(byOffset.tailMap(end, true)).entrySet()) {
      remove(e.getKey(), e.getValue());
      bytes -= e.getValue();
    }
  }

  /** Whether [offset, offset + length) is one free extent. */
  public boolean isFree(long offset, long length) {
    Long free = byOffset.get(offset);
    return free != null && free == length;
  }

  /** Total free bytes. */
  public long bytes() {
    return bytes;
  }

  /** Number of free extents. */
  public int extentCount() {
    return byOffset.size();
  }

  /** A copy of the free extents, offset to length, in offset order (for checks and tests). */
  public TreeMap<Long, Long> snapshot() {
    return new TreeMap<>(byOffset);
  }

  private static IllegalStateException doubleFree(long offset, long length, Map.Entry<Long, Long> free) {
    return new IllegalStateException(
        "double free: [" + offset + ", " + (offset + length) + ") overlaps free ["
            + free.getKey() + ", " + (free.getKey() + free.getValue()) + ")");
  }

  private long takeFront(long offset, long length, long taken) {
    remove(offset, length);
    bytes -= taken;
    if (taken < length) {
      put(offset + taken, length - taken);
    }
    return offset;
  }

  private void put(long offset, long length) {
    byOffset.put(offset, length);
    bySize.add(new long[] {offset, length});
  }

  private void remove(long offset, long length) {
    byOffset.remove(offset);
    bySize.remove(new long[] {offset, length});
  }
}
