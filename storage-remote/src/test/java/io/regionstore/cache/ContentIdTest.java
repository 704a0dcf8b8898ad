package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ContentIdTest {
  @Test
  void identityIsDigestAndLength() {
    ContentId abc = ContentId.ofBytes("abc".getBytes());
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HexFormat.of().formatHex(abc.sha256()));
    assertEquals(3, abc.length());
    ContentId same = ContentId.of(abc.sha256(), 3);
    assertEquals(abc, same);
    assertEquals(abc.hashCode(), same.hashCode());
    assertNotEquals(abc, ContentId.of(abc.sha256(), 4));
    assertNotEquals(abc, ContentId.ofBytes("abd".getBytes()));
    assertEquals("ba7816bf8f01cfea:3", abc.toString());
  }

  @Test
  void theDigestIsCopiedInAndOut() {
    byte[] digest = new byte[32];
    ContentId id = ContentId.of(digest, 1);
    digest[0] = 1;
    id.sha256()[1] = 1;
    assertEquals(ContentId.of(new byte[32], 1), id);
  }

  @Test
  void blockCountRoundsUp() {
    assertEquals(0, ContentId.of(new byte[32], 0).blockCount(4096));
    assertEquals(1, ContentId.of(new byte[32], 1).blockCount(4096));
    assertEquals(1, ContentId.of(new byte[32], 4096).blockCount(4096));
    assertEquals(2, ContentId.of(new byte[32], 4097).blockCount(4096));
    assertEquals(1L << 33, ContentId.of(new byte[32], 1L << 45).blockCount(4096));
  }

  @Test
  void badIdentitiesAreRefused() {
    assertEquals(
        "sha256 must be 32 bytes, got 31",
        assertThrows(IllegalArgumentException.class, () -> ContentId.of(new byte[31], 1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> ContentId.of(null, 1));
    assertEquals(
        "content length must be >= 0, got -1",
        assertThrows(IllegalArgumentException.class, () -> ContentId.of(new byte[32], -1)).getMessage());
  }
}
