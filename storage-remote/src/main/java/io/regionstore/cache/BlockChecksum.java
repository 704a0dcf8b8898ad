package io.regionstore.cache;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The checksum the cache journal records for a block's bytes: the first 16 bytes (128 bits) of
 * their SHA-256.
 *
 * <p>Why not CRC32C: after a crash a slot may hold anything (a torn write, another block's bytes,
 * zeros), and the check is all that stands between such bytes and a reader. A 32-bit CRC lets one
 * such slot in 2^32 through, and a long-lived cache meets many torn slots. Two CRC32Cs with different
 * seeds are no better: a CRC is affine in its input, so for equal lengths the second is a fixed
 * function of the first and adds no bits. 128 bits of SHA-256 make an accidental match 2^-128 per
 * slot. SHA-256 is in every JDK and HotSpot uses the CPU's SHA instructions where present; the
 * cost per 64 KiB block is measured in the README ("Restarts and crashes of the cache").
 *
 * <p>Thread-safe (a new digest per call).
 */
final class BlockChecksum {
  /** Bytes of a checksum. */
  static final int LENGTH = 16;

  private BlockChecksum() {}

  /**
   * The checksum of {@code bytes}.
   *
   * @throws IllegalStateException if the segment's scope is closed (an evicted block's view)
   */
  static byte[] of(MemorySegment bytes) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    sha.update(bytes.asByteBuffer());
    byte[] full = sha.digest();
    byte[] out = new byte[LENGTH];
    System.arraycopy(full, 0, out, 0, LENGTH);
    return out;
  }
}
