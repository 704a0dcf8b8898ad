package io.regionstore.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PackFormatTest {
  @Test
  void chunkSizeIsTheSmallestPowerOfTwoAtLeastTheFileLengthWithinTheStoreLimits() {
    assertEquals(1L << 16, PackFormat.chunkSizeFor(1));
    assertEquals(1L << 16, PackFormat.chunkSizeFor(1L << 16));
    assertEquals(1L << 17, PackFormat.chunkSizeFor((1L << 16) + 1));
    assertEquals(1L << 30, PackFormat.chunkSizeFor(700_000_000));
    assertEquals(1L << 34, PackFormat.chunkSizeFor(1L << 34));
    assertEquals(1L << 34, PackFormat.chunkSizeFor((1L << 34) + 1));
    assertEquals(1L << 34, PackFormat.chunkSizeFor(Long.MAX_VALUE));
  }

  @Test
  void alignRoundsUpTo64() {
    assertEquals(0, PackFormat.align(0));
    assertEquals(64, PackFormat.align(1));
    assertEquals(64, PackFormat.align(64));
    assertEquals(128, PackFormat.align(65));
  }
}
