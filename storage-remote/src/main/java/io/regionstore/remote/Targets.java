package io.regionstore.remote;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Argument checks every {@link RangeSource#read(long, List)} shares, those of other modules' sources
 * included. Stateless.
 */
public final class Targets {

  private Targets() {}

  /**
   * The number of bytes {@code targets} ask for at {@code position}.
   *
   * @throws IllegalArgumentException if the position is negative or a target is read-only
   * @throws EOFException if the run reaches past {@code length}
   */
  public static long checkedLength(String description, long length, long position, List<MemorySegment> targets)
      throws EOFException {
    if (position < 0) {
      throw new IllegalArgumentException(description + ": negative position " + position);
    }
    long total = 0;
    for (MemorySegment target : targets) {
      if (target.isReadOnly()) {
        throw new IllegalArgumentException(description + ": read-only target segment " + target);
      }
      total = Math.addExact(total, target.byteSize());
    }
    if (total > length - position) {
      throw new EOFException(
          description + ": read of " + total + " bytes at " + position + " runs past the end (length " + length + ")");
    }
    return total;
  }
}
