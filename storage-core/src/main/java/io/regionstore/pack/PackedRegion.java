package io.regionstore.pack;

import java.util.HexFormat;

/**
 * One region of a packed file as its catalog records it: name, length, checksums and where its
 * bytes are in the file. Immutable and thread-safe.
 *
 * <p>The pair ({@link #sha256()}, {@link #length()}) identifies the region's content: two regions
 * with equal pairs hold the same bytes (SHA-256 collision resistance), wherever they lie in
 * whichever file. A cache keyed by it survives a re-pack.
 */
public final class PackedRegion {
  private final int index;
  private final String name;
  private final long length;
  private final int crc32c;
  private final byte[] sha256;
  private final long[] extents;
  private final long[] starts;

  PackedRegion(int index, String name, long length, int crc32c, byte[] sha256, long[] extents) {
    this.index = index;
    this.name = name;
    this.length = length;
    this.crc32c = crc32c;
    this.sha256 = sha256.clone();
    this.extents = extents.clone();
    this.starts = new long[extents.length / 2];
    long at = 0;
    for (int i = 0; i < starts.length; i++) {
      starts[i] = at;
      at += extents[2 * i + 1];
    }
  }

  /** The position of this region in catalog order (0-based). */
  public int index() {
    return index;
  }

  /** The region name. */
  public String name() {
    return name;
  }

  /** The region's length in bytes. */
  public long length() {
    return length;
  }

  /** CRC32C of the region's bytes. */
  public int crc32c() {
    return crc32c;
  }

  /** SHA-256 of the region's bytes (32 bytes; a copy). */
  public byte[] sha256() {
    return sha256.clone();
  }

  /** {@link #sha256()} as 64 lower-case hex digits. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256);
  }

  /** How many extents hold the region: 0 for an empty region, else 1 unless it crosses 16 GiB. */
  public int extentCount() {
    return starts.length;
  }

  /** The absolute file offset of extent {@code i}. */
  public long extentOffset(int i) {
    return extents[2 * i];
  }

  /** The length of extent {@code i}, including the zero padding to 64 bytes of the last one. */
  public long extentLength(int i) {
    return extents[2 * i + 1];
  }

  /**
   * The absolute file offset of byte {@code position} of the region.
   *
   * @throws IndexOutOfBoundsException if {@code position} is not inside the region
   */
  public long fileOffset(long position) {
    if (position < 0 || position >= length) {
      throw new IndexOutOfBoundsException("position " + position + " outside region \"" + name + "\" of " + length + " bytes");
    }
    int i = starts.length - 1;
    while (starts[i] > position) {
      i--;
    }
    return extents[2 * i] + position - starts[i];
  }

  /**
   * How many bytes from {@code position} on lie contiguously in the file (up to the end of the
   * region or of the extent holding {@code position}).
   */
  public long contiguousFrom(long position) {
    long file = fileOffset(position);
    int i = starts.length - 1;
    while (starts[i] > position) {
      i--;
    }
    return Math.min(length - position, extents[2 * i] + extents[2 * i + 1] - file);
  }

  /** Offset and length pairs of every extent, as the catalog lists them (a copy). */
  public long[] extents() {
    return extents.clone();
  }

  @Override
  public String toString() {
    return "PackedRegion(" + name + ", " + length + " bytes, sha256 " + sha256Hex() + ")";
  }
}
