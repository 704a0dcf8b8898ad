package io.regionstore.pack;

import io.regionstore.alloc.SpaceAllocator;
import io.regionstore.catalog.MetaPage;
import io.regionstore.mmap.MappedChunks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;

/**
 * Constants and size rules of the packed store file; ARCHITECTURE.md ("Packed file") has the
 * table.
 *
 * <p>A packed file is a <em>front</em> section followed by the regions:
 *
 * <pre>
 * header (128) | meta page (4096) | catalog body, zero-padded to 64 | pack index | hot bytes | zeros to 64
 * region 0, zero-padded to 64 | region 1, zero-padded to 64 | ... (catalog order)
 * </pre>
 *
 * The file's length is exactly {@code frontLength + sum(align64(region length))}: no chunk
 * padding, no holes. Every byte of the front is covered by a check: the header, meta page,
 * catalog body, pack index and hot bytes by their CRC32C, the padding by being zero.
 */
public final class PackFormat {
  /** How many bytes a remote opener reads first: enough for the whole front of a small store. */
  public static final int FIRST_WINDOW = 64 * 1024;
  /** The largest front this code writes or reads: 1 GiB. */
  public static final long MAX_FRONT_LENGTH = 1L << 30;
  /** The most hot ranges a packed file may list. */
  public static final int MAX_HOT_RANGES = 1 << 20;
  /** Bytes of the header. */
  public static final int HEADER_SIZE = 128;
  /** Where the meta page starts. */
  public static final int META_PAGE_OFFSET = HEADER_SIZE;
  /** Where the catalog body starts. */
  public static final int CATALOG_OFFSET = META_PAGE_OFFSET + MetaPage.SIZE;
  /** Regions and sections are aligned to this. */
  public static final long ALIGNMENT = SpaceAllocator.ALIGNMENT;
  /** Format version this code writes and reads. */
  public static final int VERSION = 1;

  static final long MAGIC = 0x52474E5041434B31L; // "RGNPACK1"

  private PackFormat() {}

  /** {@code n} rounded up to {@link #ALIGNMENT}. */
  public static long align(long n) {
    return (n + ALIGNMENT - 1) & -ALIGNMENT;
  }

  /**
   * The chunk size a packed file of {@code fileLength} bytes declares: the smallest power of two
   * at least as large, within the store's limits (64 KiB to 16 GiB). Files up to 16 GiB thus have
   * one chunk and every region one extent; larger regions are split at 16 GiB boundaries.
   */
  public static long chunkSizeFor(long fileLength) {
    long c = MappedChunks.MIN_CHUNK_SIZE;
    while (c < fileLength && c < MappedChunks.MAX_CHUNK_SIZE) {
      c <<= 1;
    }
    return c;
  }

  /** A new SHA-256 digest, the hash a packed catalog records per region (every JDK has it). */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("the JDK lacks SHA-256", e);
    }
  }

  /**
   * The store id of a packed file, derived from its content so that packing the same content
   * twice gives the same bytes: the first 16 bytes of SHA-256 over the generation (8) and, per
   * region in catalog order, name length (4) | UTF-8 name | length (8) | CRC32C (4) | SHA-256 of
   * its bytes, then per hot range region index (4) | offset (8) | length (8).
   */
  static UUID contentId(
      long generation, List<String> names, long[] lengths, int[] crcs, byte[][] sha, int[] hotRegion,
      long[] hotOffset, long[] hotLength) {
    MessageDigest d = sha256();
    ByteBuffer number = ByteBuffer.allocate(Long.BYTES);
    d.update(number.putLong(0, generation));
    for (int i = 0; i < names.size(); i++) {
      byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
      d.update(number.clear().putInt(0, name.length).limit(Integer.BYTES));
      d.update(name);
      d.update(number.clear().putLong(0, lengths[i]));
      d.update(number.clear().putInt(0, crcs[i]).limit(Integer.BYTES));
      d.update(sha[i]);
    }
    ByteBuffer range = ByteBuffer.allocate(Integer.BYTES + 2 * Long.BYTES);
    for (int i = 0; i < hotRegion.length; i++) {
      d.update(range.clear().putInt(hotRegion[i]).putLong(hotOffset[i]).putLong(hotLength[i]).flip());
    }
    ByteBuffer id = ByteBuffer.wrap(d.digest());
    return new UUID(id.getLong(0), id.getLong(8));
  }
}
