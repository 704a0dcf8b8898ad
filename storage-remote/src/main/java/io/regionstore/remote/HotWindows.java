package io.regionstore.remote;

import io.regionstore.pack.HotRange;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The hot copies of one region in a packed file's front, as windows: found by a binary search over
 * the region's own few ranges, so a reader's lookup costs no map access. Immutable; thread-safe.
 */
final class HotWindows {
  private final long[] starts;
  private final long[] ends;
  private final MemorySegment[] windows;

  /** @param front the front's bytes, byte 0 at file offset 0 */
  HotWindows(List<HotRange> ranges, MemorySegment front) {
    int n = ranges.size();
    starts = new long[n];
    ends = new long[n];
    windows = new MemorySegment[n];
    for (int i = 0; i < n; i++) {
      HotRange h = ranges.get(i);
      starts[i] = h.regionOffset();
      ends[i] = h.regionOffset() + h.length();
      windows[i] = front.asSlice(h.frontOffset(), h.length());
    }
  }

  /** The range holding all of [position, position + length), or -1. */
  int find(long position, long length) {
    int lo = 0;
    int hi = starts.length - 1;
    while (lo <= hi) { // the last range starting at or before position
      int mid = (lo + hi) >>> 1;
      if (starts[mid] <= position) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi >= 0 && position + length <= ends[hi] ? hi : -1;
  }

  /** Where range {@code i} starts in the region. */
  long start(int i) {
    return starts[i];
  }

  /** Range {@code i}'s copy: a read-only view of the front. */
  MemorySegment window(int i) {
    return windows[i];
  }
}
