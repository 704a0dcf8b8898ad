package io.regionstore.cache;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which slots are free: a bump pointer (every slot at or above it has never been used) and the
 * free runs below it (maximal runs of adjacent free slots, merged on free).
 *
 * <p>The policy for a fetch of {@code k} adjacent blocks, in order: a free run of exactly {@code k}
 * slots (reuse without cutting a longer run), else {@code k} slots at the bump pointer, else the
 * smallest longer free run, cut; else the caller takes slots singly ({@link #takeOne}, from the
 * shortest run, so longer runs stay whole) and evicts for the rest. Contiguous slots are not needed
 * for correctness (a fetch gets one target per block); they keep a run of blocks in one stretch of
 * the file, so one sequential write fills it.
 *
 * <p>Not thread-safe: used under the {@link BlockTable}'s lock.
 */
final class SlotRuns {
  private final TreeMap<Integer, Integer> runsByStart = new TreeMap<>();
  private final TreeMap<Integer, TreeSet<Integer>> startsByLength = new TreeMap<>();
  private int bump;
  private int free;

  /** The bump pointer: slots at or above it were never used. */
  int bump() {
    return bump;
  }

  /** Free slots below the bump pointer. */
  int freeCount() {
    return free;
  }

  /** Takes {@code k} slots at the bump pointer; the caller checked that the file holds them. */
  int takeBump(int k) {
    int start = bump;
    bump += k;
    return start;
  }

  /** The start of a free run of exactly {@code k} slots, now taken, or -1. */
  int takeExact(int k) {
    TreeSet<Integer> starts = startsByLength.get(k);
    if (starts == null) {
      return -1;
    }
    int start = starts.first();
    removeRun(start, k);
    return start;
  }

  /** The first {@code k} slots of the shortest free run longer than {@code k}, now taken, or -1. */
  int takeBestFit(int k) {
    Map.Entry<Integer, TreeSet<Integer>> e = startsByLength.higherEntry(k);
    if (e == null) {
      return -1;
    }
    int length = e.getKey();
    int start = e.getValue().first();
    removeRun(start, length);
    addRun(start + k, length - k);
    return start;
  }

  /** One free slot, from the shortest free run, now taken, or -1. */
  int takeOne() {
    Map.Entry<Integer, TreeSet<Integer>> e = startsByLength.firstEntry();
    if (e == null) {
      return -1;
    }
    int length = e.getKey();
    int start = e.getValue().first();
    removeRun(start, length);
    if (length > 1) {
      addRun(start + 1, length - 1);
    }
    return start;
  }

  /**
   * Gives slot {@code slot} back, merging it with free neighbours.
   *
   * @throws IllegalStateException if it is already free or was never taken
   */
  void free(int slot) {
    if (slot >= bump || slot < 0) {
      throw new IllegalStateException("slot " + slot + " was never allocated (bump " + bump + ")");
    }
    Map.Entry<Integer, Integer> before = runsByStart.floorEntry(slot);
    if (before != null && before.getKey() + before.getValue() > slot) {
      throw new IllegalStateException("double free of slot " + slot);
    }
    int start = slot;
    int length = 1;
    if (before != null && before.getKey() + before.getValue() == slot) {
      start = before.getKey();
      length += before.getValue();
      removeRun(start, before.getValue());
    }
    Integer afterLength = runsByStart.get(slot + 1);
    if (afterLength != null) {
      removeRun(slot + 1, afterLength);
      length += afterLength;
    }
    addRun(start, length);
  }

  /** Free runs by start, for tests. */
  Map<Integer, Integer> runs() {
    return Map.copyOf(runsByStart);
  }

  private void addRun(int start, int length) {
    runsByStart.put(start, length);
    startsByLength.computeIfAbsent(length, l -> new TreeSet<>()).add(start);
    free += length;
  }

  private void removeRun(int start, int length) {
    runsByStart.remove(start);
    TreeSet<Integer> starts = startsByLength.get(length);
    starts.remove(start);
    if (starts.isEmpty()) {
      startsByLength.remove(length);
    }
    free -= length;
  }
}
