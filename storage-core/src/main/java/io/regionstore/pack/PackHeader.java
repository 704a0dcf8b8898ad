package io.regionstore.pack;

import io.regionstore.errors.CorruptStoreException;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The first {@value PackFormat#HEADER_SIZE} bytes of a packed file (big-endian): magic {@code
 * RGNPACK1} (8) | version (4) | header size (4) | chunk size (8) | store id (16) | file length (8)
 * | front length (8) | pack index offset (8) | pack index length (8) | zeros | CRC32C of bytes
 * 0..123 (4, at 124).
 */
record PackHeader(
    long chunkSize, UUID storeId, long fileLength, long frontLength, long indexOffset, long indexLength) {
  private static final int CRC_AT = PackFormat.HEADER_SIZE - 4;

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(PackFormat.HEADER_SIZE);
    b.putLong(PackFormat.MAGIC).putInt(PackFormat.VERSION).putInt(PackFormat.HEADER_SIZE);
    b.putLong(chunkSize);
    b.putLong(storeId.getMostSignificantBits()).putLong(storeId.getLeastSignificantBits());
    b.putLong(fileLength).putLong(frontLength).putLong(indexOffset).putLong(indexLength);
    b.putInt(CRC_AT, crc(b));
    return b.clear();
  }

  /**
   * Checks a header against the length of the file it came from. The fields that locate sections
   * are checked here only for being inside the front; the parser checks the rest.
   */
  static PackHeader decode(ByteBuffer bytes, long fileLength, Origin origin) throws CorruptStoreException {
    if (fileLength < PackFormat.HEADER_SIZE) {
      throw origin.corrupt(
          fileLength, "packed file is cut short: " + fileLength + " bytes, shorter than its "
              + PackFormat.HEADER_SIZE + "-byte header");
    }
    if (bytes.remaining() < PackFormat.HEADER_SIZE) {
      throw new IllegalArgumentException(
          "the first window of " + origin.description() + " holds " + bytes.remaining() + " bytes, fewer than the "
              + PackFormat.HEADER_SIZE + "-byte header");
    }
    ByteBuffer b = bytes.slice(bytes.position(), PackFormat.HEADER_SIZE);
    if (b.getLong(0) != PackFormat.MAGIC) {
      throw origin.corrupt(0, "bad magic 0x" + Long.toHexString(b.getLong(0)) + ": not a packed RegionStore file");
    }
    int stored = b.getInt(CRC_AT);
    if (stored != crc(b)) {
      throw origin.corrupt(
          CRC_AT, "packed header checksum mismatch: stored 0x" + Integer.toHexString(stored)
              + ", computed 0x" + Integer.toHexString(crc(b)));
    }
    if (b.getInt(8) != PackFormat.VERSION) {
      throw origin.corrupt(8, "unsupported packed format version " + b.getInt(8) + " (this code reads " + PackFormat.VERSION + ")");
    }
    if (b.getInt(12) != PackFormat.HEADER_SIZE) {
      throw origin.corrupt(12, "unexpected packed header size " + b.getInt(12));
    }
    long declared = b.getLong(40);
    if (declared != fileLength) {
      throw origin.corrupt(
          40, "packed file is " + fileLength + " bytes but its header says " + declared
              + (fileLength < declared ? " (truncated)" : " (bytes appended)"));
    }
    long chunkSize = b.getLong(16);
    if (chunkSize != PackFormat.chunkSizeFor(fileLength)) {
      throw origin.corrupt(16, "chunk size " + chunkSize + " is not the one a " + fileLength + "-byte packed file has ("
          + PackFormat.chunkSizeFor(fileLength) + ")");
    }
    long front = b.getLong(48);
    if (front < PackFormat.CATALOG_OFFSET || front > fileLength || front > PackFormat.MAX_FRONT_LENGTH
        || front % PackFormat.ALIGNMENT != 0) {
      throw origin.corrupt(48, "front length " + front + " out of range for a " + fileLength + "-byte file");
    }
    long indexOffset = b.getLong(56);
    long indexLength = b.getLong(64);
    if (indexOffset < PackFormat.CATALOG_OFFSET || indexLength <= 0 || indexOffset > front - indexLength) {
      throw origin.corrupt(56, "pack index [" + indexOffset + ", +" + indexLength + ") is not inside the "
          + front + "-byte front");
    }
    for (int i = 72; i < CRC_AT; i++) {
      if (b.get(i) != 0) {
        throw origin.corrupt(i, "reserved header byte is not zero");
      }
    }
    return new PackHeader(chunkSize, new UUID(b.getLong(24), b.getLong(32)), fileLength, front, indexOffset, indexLength);
  }

  private static int crc(ByteBuffer header) {
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().position(0).limit(CRC_AT));
    return (int) crc.getValue();
  }
}
