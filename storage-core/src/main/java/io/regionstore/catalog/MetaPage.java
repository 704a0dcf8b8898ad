package io.regionstore.catalog;

import io.regionstore.errors.CorruptStoreException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * One meta page: the catalog slot that says which generation is current and where its body is.
 *
 * <p>Layout ({@value #SIZE} bytes, big-endian): magic (8) | version (4) | body extent count (4) |
 * generation (8) | store id (16) | boot id (16) | body length (8) | body CRC32C (4) | reserved (4)
 * | (offset (8), length (8)) per body extent | zero padding | CRC32C of all bytes before it (4).
 * The checksum covers the whole page, so any damaged byte invalidates the slot.
 *
 * @param generation the catalog generation
 * @param storeId the store the page belongs to
 * @param bootId the boot of the machine that wrote it (null if unknown): a catalog written in the
 *     current boot cannot have lost writes to a power failure, so recovery needs no check of it
 * @param bodyLength bytes of the catalog body
 * @param bodyCrc CRC32C of the catalog body
 * @param bodyExtents offset and length pairs holding the body
 */
public record MetaPage(
    long generation, UUID storeId, UUID bootId, long bodyLength, int bodyCrc, long[] bodyExtents) {
  /** Bytes of a meta page. */
  public static final int SIZE = 4096;
  /** The most body extents a page can list. */
  public static final int MAX_EXTENTS = (SIZE - 72 - 4) / 16;

  private static final long MAGIC = 0x52474E4D45544131L; // "RGNMETA1"
  private static final int VERSION = 1;
  private static final UUID NO_BOOT = new UUID(0, 0);

  /** The page's bytes. */
  public ByteBuffer encode() {
    if (bodyExtents.length / 2 > MAX_EXTENTS) {
      throw new IllegalStateException(
          "catalog body needs " + bodyExtents.length / 2 + " extents, a meta page holds " + MAX_EXTENTS);
    }
    UUID boot = bootId == null ? NO_BOOT : bootId;
    ByteBuffer page = ByteBuffer.allocate(SIZE);
    page.putLong(MAGIC).putInt(VERSION).putInt(bodyExtents.length / 2).putLong(generation);
    page.putLong(storeId.getMostSignificantBits()).putLong(storeId.getLeastSignificantBits());
    page.putLong(boot.getMostSignificantBits()).putLong(boot.getLeastSignificantBits());
    page.putLong(bodyLength).putInt(bodyCrc).putInt(0);
    for (long v : bodyExtents) {
      page.putLong(v);
    }
    page.putInt(SIZE - 4, crc(page));
    return page.clear();
  }

  /**
   * The generation in a page, without checking it.
   *
   * @return the generation, or -1 if the page does not start with the magic number
   */
  public static long peekGeneration(ByteBuffer page) {
    return page.remaining() >= 24 && page.getLong(0) == MAGIC ? page.getLong(16) : -1;
  }

  /**
   * Checks and decodes a page.
   *
   * @param page the {@value #SIZE} bytes
   * @param file the data file, for messages
   * @param pageOffset where the page is in the file, for messages
   * @param storeId the id in the data file header
   * @throws CorruptStoreException naming the file and the offset of the first bad field
   */
  public static MetaPage decode(ByteBuffer page, Path file, long pageOffset, UUID storeId)
      throws CorruptStoreException {
    if (page.remaining() != SIZE) {
      throw new CorruptStoreException(file, pageOffset, "meta page is cut short at " + page.remaining() + " bytes");
    }
    if (page.getLong(0) != MAGIC) {
      throw new CorruptStoreException(file, pageOffset, "bad meta page magic 0x" + Long.toHexString(page.getLong(0)));
    }
    int stored = page.getInt(SIZE - 4);
    if (stored != crc(page)) {
      throw new CorruptStoreException(
          file, pageOffset + SIZE - 4, "meta page checksum mismatch: stored 0x" + Integer.toHexString(stored)
              + ", computed 0x" + Integer.toHexString(crc(page)));
    }
    if (page.getInt(8) != VERSION) {
      throw new CorruptStoreException(file, pageOffset + 8, "unsupported meta page version " + page.getInt(8));
    }
    UUID id = new UUID(page.getLong(24), page.getLong(32));
    if (!id.equals(storeId)) {
      throw new CorruptStoreException(
          file, pageOffset + 24, "meta page belongs to store " + id + ", the data file to store " + storeId);
    }
    int count = page.getInt(12);
    long generation = page.getLong(16);
    long bodyLength = page.getLong(56);
    if (count < 1 || count > MAX_EXTENTS || generation < 0 || bodyLength <= 0 || bodyLength > CatalogCodec.MAX_BODY_SIZE) {
      throw new CorruptStoreException(
          file, pageOffset + 12, "meta page fields out of range: " + count + " extents, generation " + generation
              + ", body of " + bodyLength + " bytes");
    }
    long[] extents = new long[2 * count];
    for (int i = 0; i < extents.length; i++) {
      extents[i] = page.getLong(72 + 8 * i);
    }
    UUID boot = new UUID(page.getLong(40), page.getLong(48));
    return new MetaPage(generation, id, boot.equals(NO_BOOT) ? null : boot, bodyLength, page.getInt(64), extents);
  }

  private static int crc(ByteBuffer page) {
    CRC32C crc = new CRC32C();
    crc.update(page.duplicate().position(0).limit(SIZE - 4));
    return (int) crc.getValue();
  }
}
