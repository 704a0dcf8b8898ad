package io.regionstore.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of an immutable content (a region's bytes): the SHA-256 of its bytes and its length.
 *
 * <p>The {@link SlotCache} keys blocks by this identity and a block index, never by where the bytes
 * live, so the same bytes are found again after a re-pack or in another store, and several stores
 * sharing one cache share the blocks of equal contents. Two contents with the same identity are
 * treated as the same bytes.
 *
 * <p>Immutable; thread-safe. {@link #equals} and {@link #hashCode} compare digest and length.
 */
public final class ContentId {
  /** Length of the SHA-256 digest in bytes. */
  public static final int DIGEST_LENGTH = 32;

  private final byte[] sha256;
  private final long length;
  private final int hash;

  private ContentId(byte[] sha256, long length) {
    this.sha256 = sha256;
    this.length = length;
    this.hash = Arrays.hashCode(sha256) * 31 + Long.hashCode(length);
  }

  /**
   * The identity of a content of {@code length} bytes whose SHA-256 is {@code sha256}.
   *
   * @throws IllegalArgumentException if the digest is not 32 bytes or the length is negative
   */
  public static ContentId of(byte[] sha256, long length) {
    if (sha256 == null || sha256.length != DIGEST_LENGTH) {
      throw new IllegalArgumentException(
          "sha256 must be " + DIGEST_LENGTH + " bytes, got " + (sha256 == null ? "null" : sha256.length));
    }
    if (length < 0) {
      throw new IllegalArgumentException("content length must be >= 0, got " + length);
    }
    return new ContentId(sha256.clone(), length);
  }

  /** The identity of {@code bytes}: computes their SHA-256. */
  public static ContentId ofBytes(byte[] bytes) {
    try {
      return new ContentId(MessageDigest.getInstance("SHA-256").digest(bytes), bytes.length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A copy of the SHA-256 digest. */
  public byte[] sha256() {
    return sha256.clone();
  }

  /** The content's length in bytes. */
  public long length() {
    return length;
  }

  /** How many blocks of {@code blockSize} bytes the content has: ceil(length / blockSize). */
  public long blockCount(int blockSize) {
    return Math.ceilDiv(length, blockSize);
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || o instanceof ContentId c
        && c.hash == hash
        && c.length == length
        && Arrays.equals(c.sha256, sha256);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The first 8 bytes of the digest in hex and the length, e.g. {@code 9f86d081884c7d65:1024}. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(sha256, 0, 8) + ":" + length;
  }
}
