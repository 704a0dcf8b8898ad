package io.regionstore.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PackedRegionTest {
  private static final long G16 = 1L << 34;

  /** A region split at a 16 GiB chunk boundary: 192 bytes before it, 128 after (last 28 padding). */
  private final PackedRegion split =
      new PackedRegion(3, "_9.cfs", 292, 7, new byte[32], new long[] {G16 - 192, 192, G16, 128});

  @Test
  void fileOffsetsFollowTheExtents() {
    assertEquals(G16 - 192, split.fileOffset(0));
    assertEquals(G16 - 1, split.fileOffset(191));
    assertEquals(G16, split.fileOffset(192));
    assertEquals(G16 + 99, split.fileOffset(291));
    assertThrows(IndexOutOfBoundsException.class, () -> split.fileOffset(292));
    assertThrows(IndexOutOfBoundsException.class, () -> split.fileOffset(-1));
  }

  @Test
  void contiguousBytesEndAtTheExtentOrTheRegion() {
    assertEquals(192, split.contiguousFrom(0));
    assertEquals(1, split.contiguousFrom(191));
    assertEquals(100, split.contiguousFrom(192)); // the padding is not the region's
    assertEquals(1, split.contiguousFrom(291));
  }

  @Test
  void accessorsCopyTheArrays() {
    byte[] sha = new byte[32];
    sha[0] = 1;
    PackedRegion r = new PackedRegion(0, "a", 1, 2, sha, new long[] {4224, 64});
    sha[0] = 9;
    assertEquals(1, r.sha256()[0]);
    r.sha256()[0] = 5;
    assertEquals(1, r.sha256()[0]);
    r.extents()[0] = 0;
    assertArrayEquals(new long[] {4224, 64}, r.extents());
    assertEquals("01" + "00".repeat(31), r.sha256Hex());
    assertEquals(1, r.extentCount());
    assertEquals(4224, r.extentOffset(0));
    assertEquals(64, r.extentLength(0));
  }
}
