package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ContentRangeTest {

  @Test
  void parsesTheTwoForms() {
    assertEquals(new ContentRange(0, 0, 1), ContentRange.parse("bytes 0-0/1"));
    assertEquals(new ContentRange(100, 199, 1000), ContentRange.parse("bytes 100-199/1000"));
    assertEquals(new ContentRange(100, 199, 1000), ContentRange.parse("Bytes 100-199/1000"));
    assertEquals(new ContentRange(-1, -1, 0), ContentRange.parse("bytes */0"));
    assertEquals(new ContentRange(-1, -1, 77), ContentRange.parse("bytes */77"));
    long big = 999_999_999_999_999_999L;
    assertEquals(new ContentRange(0, big - 1, big), ContentRange.parse("bytes 0-" + (big - 1) + "/" + big));
  }

  @Test
  void rejectsEverythingElse() {
    String[] bad = {
      null, "", "bytes", "bytes ", "items 0-1/2", "bytes 0-1", "bytes 0-1/*", "bytes 1-0/5", "bytes 0-5/5",
      "bytes  0-1/5", "bytes 0 -1/5", "bytes 0-1/5 ", "bytes -1-2/5", "bytes +0-1/5", "bytes 0-1/1000000000000000000",
      "bytes 0-1,3-4/5", "bytes */", "bytes */x", "bytes 0-/5", "bytes -3/5"
    };
    for (String header : bad) {
      assertNull(ContentRange.parse(header), header);
    }
  }
}
