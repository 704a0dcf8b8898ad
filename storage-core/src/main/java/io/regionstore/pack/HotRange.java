package io.regionstore.pack;

/**
 * A byte range of a region whose copy sits in the hot section of a packed file's front, so that a
 * reader holding the front serves reads inside it without a request. Immutable.
 *
 * @param region the region's name
 * @param regionOffset where the range starts in the region
 * @param length bytes in the range (at least 1)
 * @param frontOffset where the copy starts in the front (and so in the file)
 */
public record HotRange(String region, long regionOffset, long length, long frontOffset) {
  /** Whether {@code [offset, offset + length)} of the region lies inside this range. */
  public boolean covers(long offset, long length) {
    return offset >= regionOffset && length >= 0 && offset - regionOffset <= this.length - length;
  }
}
