package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlockChecksumTest {
  @Test
  void theChecksumIsTheFirst128BitsOfSha256() throws Exception {
    byte[] bytes = new byte[4096];
    bytes[7] = 1;
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
    byte[] sum = BlockChecksum.of(MemorySegment.ofArray(bytes));
    assertEquals(BlockChecksum.LENGTH, sum.length);
    assertArrayEquals(Arrays.copyOf(sha, 16), sum);
    bytes[4095] = 1;
    assertFalse(Arrays.equals(sum, BlockChecksum.of(MemorySegment.ofArray(bytes))), "the last byte counts");
  }

  @Test
  void aDeadViewThrowsIllegalState() {
    Arena arena = Arena.ofShared();
    MemorySegment view = arena.allocate(64);
    arena.close();
    assertThrows(IllegalStateException.class, () -> BlockChecksum.of(view));
  }
}
