package io.regionstore.catalog;

import io.regionstore.catalog.RegionNames;
import io.regionstore.errors.CorruptStoreException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Encodes a {@link CatalogSnapshot} to bytes (a catalog body) and checks and decodes it back.
 *
 * <p>Layout (big-endian): magic (8) | format version (4) | region count (4) | generation (8) |
 * store id (16) | body length (8) | body | CRC32C of everything before it (4). The body holds, per
 * region: name length (1, unsigned) | UTF-8 name | length (8) | CRC32C of the region's bytes (4) |
 * extent count (4) | (offset (8), length (8)) per extent.
 *
 * <p>Decoding trusts nothing: every count and length is checked against the bytes there are before
 * it is used, so a corrupt slot costs at most its own size in memory and always ends in a {@link
 * CorruptStoreException} naming the file and offset.
 */
public final class CatalogCodec {
  /** Header bytes before the body. */
  public static final int HEADER_SIZE = 48;
  /** The largest catalog body this code writes or reads: 256 MiB (about 2.5 million regions). */
  public static final int MAX_BODY_SIZE = 1 << 28;

  static final long MAGIC = 0x52474E4341544C47L; // "RGNCATLG"
  static final int FORMAT_VERSION = 2;
  private static final int TRAILER_SIZE = 4;

  private CatalogCodec() {}

  /**
   * Encodes a snapshot.
   *
   * @throws IllegalStateException if it would exceed {@link #MAX_BODY_SIZE}
   */
  public static ByteBuffer encode(CatalogSnapshot snapshot, UUID storeId) {
    List<byte[]> names = new ArrayList<>(snapshot.regions().size());
    long size = HEADER_SIZE + TRAILER_SIZE;
    for (PersistedRegion r : snapshot.regions()) {
      byte[] name = r.name().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      size += 1 + name.length + 8 + 4 + 4 + 16L * (r.extents().length / 2);
    }
    if (size > MAX_BODY_SIZE) {
      throw new IllegalStateException(
          "catalog of " + snapshot.regions().size() + " regions needs " + size
              + " bytes, more than the " + MAX_BODY_SIZE + "-byte limit");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(snapshot.regions().size());
    out.putLong(snapshot.generation());
    out.putLong(storeId.getMostSignificantBits()).putLong(storeId.getLeastSignificantBits());
    out.putLong(size - HEADER_SIZE - TRAILER_SIZE);
    for (int i = 0; i < names.size(); i++) {
      PersistedRegion r = snapshot.regions().get(i);
      byte[] name = names.get(i);
      out.put((byte) name.length).put(name).putLong(r.length()).putInt(r.crc());
      out.putInt(r.extents().length / 2);
      for (long v : r.extents()) {
        out.putLong(v);
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(out.duplicate().flip());
    out.putInt((int) crc.getValue());
    return out.flip();
  }

  /**
   * Checks and decodes a catalog body.
   *
   * @param bytes the whole body
   * @param file the data file, for messages
   * @param bodyOffset where the body starts in the file, so that offsets in messages are file
   *     offsets (exact while the body is one extent, which it is unless it exceeds a chunk)
   * @param storeId the id in the data file header
   * @param chunkSize the data file's chunk size; no extent may cross a chunk boundary
   * @param dataStart the lowest offset an extent may have
   * @param alignment every extent offset and length is a multiple of this
   * @param bodyExtents the extents holding this body, which no region may overlap
   * @throws CorruptStoreException naming the file and the offset of the first bad field
   */
  public static CatalogSnapshot decode(
      ByteBuffer bytes,
      Path file,
      long bodyOffset,
      UUID storeId,
      long chunkSize,
      long dataStart,
      long alignment,
      long[] bodyExtents)
      throws CorruptStoreException {
    try {
      return decodeChecked(bytes, file, storeId, chunkSize, dataStart, alignment, bodyExtents);
    } catch (CorruptStoreException e) {
      throw e.offset() < 0 ? e : new CorruptStoreException(file, bodyOffset + e.offset(), problem(e));
    }
  }

  private static String problem(CorruptStoreException e) {
    return "catalog body: " + e.problem();
  }

  private static CatalogSnapshot decodeChecked(
      ByteBuffer bytes, Path file, UUID storeId, long chunkSize, long dataStart, long alignment, long[] bodyExtents)
      throws CorruptStoreException {
    int size = bytes.remaining();
    if (size < HEADER_SIZE + TRAILER_SIZE) {
      throw new CorruptStoreException(file, size, "catalog slot is truncated at " + size + " bytes");
    }
    if (bytes.getLong(0) != MAGIC) {
      throw new CorruptStoreException(file, 0, "bad catalog magic 0x" + Long.toHexString(bytes.getLong(0)));
    }
    long bodyLength = bytes.getLong(40);
    if (bodyLength != size - HEADER_SIZE - TRAILER_SIZE) {
      throw new CorruptStoreException(
          file, 40, "body length " + bodyLength + " does not match slot size " + size);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate().limit(size - TRAILER_SIZE));
    int stored = bytes.getInt(size - TRAILER_SIZE);
    if (stored != (int) crc.getValue()) {
      throw new CorruptStoreException(
          file,
          size - TRAILER_SIZE,
          "catalog checksum mismatch: stored 0x" + Integer.toHexString(stored)
              + ", computed 0x" + Integer.toHexString((int) crc.getValue()));
    }
    int version = bytes.getInt(8);
    if (version != FORMAT_VERSION) {
      throw new CorruptStoreException(file, 8, "unsupported catalog format version " + version);
    }
    UUID id = new UUID(bytes.getLong(24), bytes.getLong(32));
    if (!id.equals(storeId)) {
      throw new CorruptStoreException(
          file, 24, "catalog belongs to store " + id + ", the data file to store " + storeId);
    }
    long generation = bytes.getLong(16);
    if (generation < 0) {
      throw new CorruptStoreException(file, 16, "negative generation " + generation);
    }
    int count = bytes.getInt(12);
    long minRecord = 1 + 1 + 8 + 4 + 4;
    if (count < 0 || count > bodyLength / minRecord) {
      throw new CorruptStoreException(file, 12, "region count " + count + " does not fit the body");
    }
    ByteBuffer body = bytes.duplicate().position(HEADER_SIZE).limit(size - TRAILER_SIZE).slice();
    List<PersistedRegion> regions = new ArrayList<>(count);
    Set<String> seen = new HashSet<>(count * 2);
    List<long[]> all = new ArrayList<>();
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      for (int i = 0; i < count; i++) {
        int at = HEADER_SIZE + body.position();
        int nameLength = Byte.toUnsignedInt(body.get());
        ByteBuffer nameBytes = body.slice(body.position(), nameLength);
        body.position(body.position() + nameLength);
        String name = decodeName(utf8, nameBytes, file, at);
        if (!seen.add(name)) {
          throw new CorruptStoreException(file, at, "region \"" + name + "\" appears twice");
        }
        long length = body.getLong();
        int regionCrc = body.getInt();
        int extentCount = body.getInt();
        if (length < 0 || extentCount < 0 || extentCount > body.remaining() / 16) {
          throw new CorruptStoreException(
              file, at, "region \"" + name + "\" has length " + length + " and " + extentCount + " extents");
        }
        long[] extents = new long[extentCount * 2];
        long total = 0;
        for (int e = 0; e < extentCount; e++) {
          long offset = body.getLong();
          long extentLength = body.getLong();
          checkExtent(file, at, name, offset, extentLength, chunkSize, dataStart, alignment);
          extents[2 * e] = offset;
          extents[2 * e + 1] = extentLength;
          total += extentLength;
          all.add(new long[] {offset, extentLength, at});
        }
        long expected = (length + alignment - 1) / alignment * alignment;
        if (total != expected) {
          throw new CorruptStoreException(
              file, at, "region \"" + name + "\" of " + length + " bytes has " + total + " bytes of extents");
        }
        regions.add(new PersistedRegion(name, length, regionCrc, extents));
      }
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new CorruptStoreException(file, HEADER_SIZE + body.position(), "region record runs past the body");
    }
    if (body.hasRemaining()) {
      throw new CorruptStoreException(
          file, HEADER_SIZE + body.position(), body.remaining() + " bytes after the last region");
    }
    for (int i = 0; i < bodyExtents.length; i += 2) {
      all.add(new long[] {bodyExtents[i], bodyExtents[i + 1], 0});
    }
    checkNoOverlap(file, all);
    return new CatalogSnapshot(generation, regions);
  }

  private static String decodeName(CharsetDecoder utf8, ByteBuffer bytes, Path file, int at)
      throws CorruptStoreException {
    try {
      CharBuffer chars = utf8.decode(bytes);
      return RegionNames.validate(chars.toString());
    } catch (CharacterCodingException | IllegalArgumentException e) {
      throw new CorruptStoreException(file, at, "bad region name: " + e.getMessage());
    }
  }

  private static void checkExtent(
      Path file, int at, String name, long offset, long length, long chunkSize, long dataStart, long alignment)
      throws CorruptStoreException {
    boolean ok =
        offset >= dataStart
            && length > 0
            && offset % alignment == 0
            && length % alignment == 0
            && offset <= Long.MAX_VALUE - length
            && offset / chunkSize == (offset + length - 1) / chunkSize;
    if (!ok) {
      throw new CorruptStoreException(
          file, at, "region \"" + name + "\" has a bad extent [" + offset + ", +" + length + ")");
    }
  }

  private static void checkNoOverlap(Path file, List<long[]> extents) throws CorruptStoreException {
    long[][] sorted = extents.toArray(new long[0][]);
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i - 1][0] + sorted[i - 1][1] > sorted[i][0]) {
        throw new CorruptStoreException(
            file, sorted[i][2], "extent at offset " + sorted[i][0] + " overlaps another region's extent");
      }
    }
  }
}
