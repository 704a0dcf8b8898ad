package io.regionstore.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegionNamesTest {
  @Test
  void acceptsLuceneNamesAndUnicode() {
    for (String name :
        new String[] {"segments_1", "_0.cfs", "_0_Lucene90_0.doc", "write.lock", "a..b", ".hidden", "日本語", "\uD83D\uDE00"}) {
      assertEquals(name, RegionNames.validate(name));
    }
    assertEquals(255, RegionNames.validate("x".repeat(255)).length());
  }

  @Test
  void rejectsWithAPreciseMessage() {
    assertMessage(null, "null");
    assertMessage("", "empty");
    assertMessage(".", "reserved");
    assertMessage("..", "reserved");
    assertMessage("a/b", "path separator at index 1");
    assertMessage("a\\b", "path separator at index 1");
    assertMessage("a\0b", "control character 0x0 at index 1");
    assertMessage("a\nb", "control character 0xa at index 1");
    assertMessage("ab\uD800", "unpaired surrogate at index 2");
    assertMessage("\uDC00", "unpaired surrogate at index 0");
    assertMessage("x".repeat(256), "256 UTF-8 bytes long, the limit is 255");
    assertMessage("é".repeat(128), "256 UTF-8 bytes long");
  }

  private static void assertMessage(String name, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegionNames.validate(name));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
