package io.regionstore;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A region as the store knows it in memory: its extents once sealed, or its writer while it is
 * being written, and the count of open readers that keeps its space from reuse after a delete.
 *
 * <p>Extents are immutable once sealed, so readers need no lock. Reader counting is lock-free: a
 * count of -1 means the space was given back and the region can no longer be opened.
 */
final class Region {
  private static final int RELEASED = -1;

  /** Offset and length pairs; empty while being written. */
  final long[] extents;
  /** The catalog generation this entry was loaded from (read-only stores), else 0. */
  final long generation;
  /** Non-null while the region is being written. */
  final RegionWriter writer;

  /** CRC32C of the region's bytes (sealed regions). */
  final int crc;

  private final long length;
  private final AtomicInteger readers = new AtomicInteger();
  private volatile long freedAt;
  private volatile boolean unlinked;

  private Region(long[] extents, long length, int crc, long generation, RegionWriter writer) {
    this.extents = extents;
    this.length = length;
    this.crc = crc;
    this.generation = generation;
    this.writer = writer;
  }

  static Region sealed(long[] extents, long length, int crc, long generation) {
    return new Region(extents, length, crc, generation, null);
  }

  static Region writing(RegionWriter writer) {
    return new Region(new long[0], 0, 0, 0, writer);
  }

  boolean isSealed() {
    return writer == null;
  }

  /** Bytes in the region; for one being written, the bytes appended so far. */
  long length() {
    return writer != null ? writer.length() : length;
  }

  /** Bytes of data file the region holds. */
  long extentBytes() {
    long total = 0;
    for (int i = 1; i < extents.length; i += 2) {
      total += extents[i];
    }
    return total;
  }

  /** Counts a new reader; false if the region's space was already given back. */
  boolean acquire() {
    while (true) {
      int n = readers.get();
      if (n == RELEASED) {
        return false;
      }
      if (readers.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * Uncounts a reader.
   *
   * @return true if this was the last reader of an unlinked region: the caller gives back its space
   */
  boolean release() {
    return readers.decrementAndGet() == 0 && unlinked && readers.compareAndSet(0, RELEASED);
  }

  /**
   * Marks the region gone from the namespace, freed at catalog generation {@code freedAt}.
   *
   * @return true if no reader is open: the caller gives back its space now
   */
  boolean unlink(long freedAt) {
    this.freedAt = freedAt;
    this.unlinked = true;
    return readers.compareAndSet(0, RELEASED);
  }

  /** The generation that first leaves this region out (valid once unlinked). */
  long freedAt() {
    return freedAt;
  }
}
