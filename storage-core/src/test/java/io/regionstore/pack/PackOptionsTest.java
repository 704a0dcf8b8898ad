package io.regionstore.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackOptionsTest {
  @Test
  void keepsRangesInOrderAndRegionsOnce() {
    PackOptions o = PackOptions.builder().hotRange("b", 5, 10).hotRegion("a").hotRange("a", 0, 1).hotRegion("a").build();
    assertEquals(List.of(new PackOptions.Span("b", 5, 10), new PackOptions.Span("a", 0, 1)), o.hotRanges());
    assertEquals(Set.of("a"), o.hotRegions());
    assertTrue(PackOptions.none().hotRanges().isEmpty() && PackOptions.none().hotRegions().isEmpty());
  }

  @Test
  void negativeOffsetsAndLengthsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> PackOptions.builder().hotRange("a", -1, 1));
    assertThrows(IllegalArgumentException.class, () -> PackOptions.builder().hotRange("a", 0, -1));
    assertThrows(NullPointerException.class, () -> PackOptions.builder().hotRegion(null));
  }
}
