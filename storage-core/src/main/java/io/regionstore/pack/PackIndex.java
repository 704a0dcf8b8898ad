package io.regionstore.pack;

import io.regionstore.errors.CorruptStoreException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The pack index: what a packed file adds to the store's catalog. Layout (big-endian): magic
 * {@code RGNPKIDX} (8) | region count (4) | hot range count (4) | CRC32C of the hot bytes and the
 * front's final padding (4) | zero (4) | SHA-256 per region in catalog order (32 each) | per hot
 * range: region index (4) | zero (4) | region offset (8) | length (8) | front offset (8) | CRC32C
 * of everything before it (4).
 *
 * @param sha256 per region, in catalog order
 * @param hotRegion per hot range, the index of its region
 * @param hotOffset per hot range, its offset in the region
 * @param hotLength per hot range, its length
 * @param hotFrontOffset per hot range, where its copy starts in the front
 * @param hotCrc CRC32C of the front from the first hot byte to its end
 */
record PackIndex(
    byte[][] sha256, int[] hotRegion, long[] hotOffset, long[] hotLength, long[] hotFrontOffset, int hotCrc) {
  static final long MAGIC = 0x52474E504B494458L; // "RGNPKIDX"
  static final int FIXED = 24;
  static final int SHA_SIZE = 32;
  static final int HOT_RECORD = 32;

  static long length(long regions, long hotRanges) {
    return FIXED + SHA_SIZE * regions + HOT_RECORD * hotRanges + 4;
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate((int) length(sha256.length, hotRegion.length));
    b.putLong(MAGIC).putInt(sha256.length).putInt(hotRegion.length).putInt(hotCrc).putInt(0);
    for (byte[] h : sha256) {
      b.put(h);
    }
    for (int i = 0; i < hotRegion.length; i++) {
      b.putInt(hotRegion[i]).putInt(0).putLong(hotOffset[i]).putLong(hotLength[i]).putLong(hotFrontOffset[i]);
    }
    b.putInt(crc(b, b.position()));
    return b.flip();
  }

  /**
   * Checks and decodes the index at {@code at} in {@code front}, whose catalog lists {@code
   * regionLengths}. Counts are checked against the index length before anything is allocated.
   */
  static PackIndex decode(ByteBuffer front, long at, long length, long[] regionLengths, Origin origin)
      throws CorruptStoreException {
    if (length < FIXED + 4) {
      throw origin.corrupt(at, "pack index of " + length + " bytes is too short");
    }
    ByteBuffer b = front.slice((int) at, (int) length);
    if (b.getLong(0) != MAGIC) {
      throw origin.corrupt(at, "bad pack index magic 0x" + Long.toHexString(b.getLong(0)));
    }
    int stored = b.getInt((int) length - 4);
    if (stored != crc(b, (int) length - 4)) {
      throw origin.corrupt(at + length - 4, "pack index checksum mismatch: stored 0x" + Integer.toHexString(stored)
          + ", computed 0x" + Integer.toHexString(crc(b, (int) length - 4)));
    }
    int regions = b.getInt(8);
    int hot = b.getInt(12);
    if (regions != regionLengths.length) {
      throw origin.corrupt(at + 8, "pack index lists " + regions + " regions, the catalog " + regionLengths.length);
    }
    if (hot < 0 || hot > PackFormat.MAX_HOT_RANGES || length(regions, hot) != length) {
      throw origin.corrupt(at + 12, hot + " hot ranges and " + regions + " regions do not fill a " + length
          + "-byte pack index");
    }
    if (b.getInt(20) != 0) {
      throw origin.corrupt(at + 20, "reserved pack index field is not zero");
    }
    byte[][] sha = new byte[regions][SHA_SIZE];
    b.position(FIXED);
    for (byte[] h : sha) {
      b.get(h);
    }
    int[] region = new int[hot];
    long[] offset = new long[hot];
    long[] len = new long[hot];
    long[] frontOffset = new long[hot];
    long next = at + length; // the copies follow the index back to back, in range order
    for (int i = 0; i < hot; i++) {
      long recordAt = at + b.position();
      region[i] = b.getInt();
      int zero = b.getInt();
      offset[i] = b.getLong();
      len[i] = b.getLong();
      frontOffset[i] = b.getLong();
      boolean inRegion = region[i] >= 0 && region[i] < regions && zero == 0 && offset[i] >= 0 && len[i] > 0
          && offset[i] <= regionLengths[region[i]] - len[i];
      if (!inRegion) {
        throw origin.corrupt(recordAt, "hot range " + i + " [" + offset[i] + ", +" + len[i] + ") of region index "
            + region[i] + " is not inside its region");
      }
      boolean sorted = i == 0 || region[i] > region[i - 1]
          || (region[i] == region[i - 1] && offset[i] > offset[i - 1] + len[i - 1]);
      if (!sorted) {
        throw origin.corrupt(recordAt, "hot range " + i + " is out of order or overlaps or touches the one before");
      }
      if (frontOffset[i] != next || next > front.limit() - len[i]) {
        throw origin.corrupt(recordAt + 24, "hot range " + i + " has its copy at front offset " + frontOffset[i]
            + ", expected " + next + " inside the " + front.limit() + "-byte front");
      }
      next += len[i];
    }
    return new PackIndex(sha, region, offset, len, frontOffset, b.getInt(20 - 4));
  }

  private static int crc(ByteBuffer b, int end) {
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(0).limit(end));
    return (int) crc.getValue();
  }
}
