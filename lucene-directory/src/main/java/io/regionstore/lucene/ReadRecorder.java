package io.regionstore.lucene;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The byte ranges read from each file, merged as they arrive: touching and overlapping reads
 * become one range; and the slices taken of each file (a compound file's inner files, among
 * others). Thread-safe (Lucene may open segments on several threads).
 */
final class ReadRecorder {
  /** A merged range: {@code length} bytes at {@code offset} of {@code file}. */
  record Range(String file, long offset, long length) {}

  /** Per file: start to end of each merged range. */
  private final Map<String, TreeMap<Long, Long>> ranges = new TreeMap<>();
  /** Every slice taken, in order. */
  private final List<Range> slices = new ArrayList<>();

  synchronized void slice(String file, long offset, long length) {
    slices.add(new Range(file, offset, length));
  }

  /** Every slice taken, at its offset in the file, in the order taken. */
  synchronized List<Range> slices() {
    return List.copyOf(slices);
  }

  synchronized void record(String file, long offset, long length) {
    if (length <= 0) {
      return;
    }
    TreeMap<Long, Long> r = ranges.computeIfAbsent(file, f -> new TreeMap<>());
    long start = offset;
    long end = offset + length;
    Map.Entry<Long, Long> before = r.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    for (Map.Entry<Long, Long> next = r.ceilingEntry(start);
        next != null && next.getKey() <= end;
        next = r.ceilingEntry(start)) {
      end = Math.max(end, next.getValue());
      r.remove(next.getKey());
    }
    r.put(start, end);
  }

  /** Every merged range, by file name and offset. */
  synchronized List<Range> ranges() {
    List<Range> out = new ArrayList<>();
    ranges.forEach((file, r) -> r.forEach((start, end) -> out.add(new Range(file, start, end - start))));
    return out;
  }
}
