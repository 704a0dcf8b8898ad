package io.regionstore.lucene;

import io.regionstore.RegionReader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads a file into the page cache by touching one byte of every page of each of its extents.
 *
 * <p>{@code MMapDirectory} preloads with {@link MemorySegment#load()}, which needs a mapped segment;
 * the store's views are scoped to their reader and so are not mapped segments to the JDK. Touching
 * the pages has the same effect: each touch faults the page in (the kernel's read-around fetches
 * its neighbours along). Reading every {@value #PAGE} bytes touches every page for any page size
 * of 4 KiB or more.
 *
 * <p>Stateless; thread-safe.
 */
final class Preloader {
  private static final int PAGE = 4096;

  /** Written so that the JIT cannot drop the reads as dead code. */
  @SuppressWarnings("unused")
  private static volatile long sink;

  private Preloader() {}

  /** Touches every page of every extent of {@code reader}. */
  static void preload(RegionReader reader) throws IOException {
    long sum = 0;
    for (int i = 0; i < reader.extentCount(); i++) {
      MemorySegment view = reader.extent(i);
      long size = view.byteSize();
      for (long at = 0; at < size; at += PAGE) {
        sum += view.get(ValueLayout.JAVA_BYTE, at);
      }
    }
    sink = sum;
  }
}
