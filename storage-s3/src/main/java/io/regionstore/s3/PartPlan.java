package io.regionstore.s3;

/**
 * How a file of some length is uploaded: one PUT up to the part size, else parts of the part size
 * (the last one shorter), the part size raised in whole MiB when the file would need more than
 * S3's 10,000 parts. Immutable.
 *
 * @param partSize the bytes per part (every part but the last)
 * @param parts the number of parts; 1 means a single PUT
 */
record PartPlan(long partSize, int parts) {

  /** The most parts S3 accepts in one multipart upload. */
  static final int MAX_PARTS = 10_000;

  /**
   * The plan for {@code length} bytes with {@code partSize} preferred.
   *
   * @throws IllegalArgumentException if even 5 GiB parts cannot hold the file (over 48.8 TiB)
   */
  static PartPlan of(long length, long partSize) {
    if (length <= partSize) {
      return new PartPlan(partSize, 1);
    }
    long size = partSize;
    if (ceilDiv(length, size) > MAX_PARTS) {
      long mib = 1L << 20;
      size = ceilDiv(ceilDiv(length, MAX_PARTS), mib) * mib;
    }
    if (size > S3Options.MAX_PART_SIZE) {
      throw new IllegalArgumentException(
          length + " bytes need parts over 5 GiB, the largest S3 accepts (10,000 parts at most)");
    }
    return new PartPlan(size, (int) ceilDiv(length, size));
  }

  boolean multipart() {
    return parts > 1;
  }

  /** The offset of part {@code n} (1-based, as S3 numbers parts). */
  long offset(int n) {
    return (n - 1) * partSize;
  }

  /** The length of part {@code n} of a file of {@code length} bytes. */
  long length(int n, long length) {
    return Math.min(partSize, length - offset(n));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
