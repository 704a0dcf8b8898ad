package io.regionstore.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UnpunchedSpaceTest {
  private static final long P = UnpunchedSpace.PAGE;

  @Test
  void touchingRangesMergeAcrossAnyBoundary() {
    UnpunchedSpace set = new UnpunchedSpace();
    set.add(100, 50);
    set.add(200, 100);
    set.add(150, 50); // fills the gap: one range [100, 300)
    set.add(1000, 64);
    set.add(250, 100); // overlaps the end: [100, 350)
    assertEquals(new TreeMap<>(Map.of(100L, 350L, 1000L, 1064L)), set.snapshot());
    assertEquals(250 + 64, set.bytes());
  }

  @Test
  void removeTakesOutOnlyWhatIsInTheSetAndSplits() {
    UnpunchedSpace set = new UnpunchedSpace();
    set.add(0, 1000);
    set.add(2000, 1000);
    set.remove(500, 1700); // [500, 2200): tail of the first, head of the second
    assertEquals(new TreeMap<>(Map.of(0L, 500L, 2200L, 3000L)), set.snapshot());
    set.remove(100, 100); // a hole in the middle
    assertEquals(new TreeMap<>(Map.of(0L, 100L, 200L, 500L, 2200L, 3000L)), set.snapshot());
    set.remove(5000, 64); // not in the set: nothing changes
    assertEquals(100 + 300 + 800, set.bytes());
    set.truncate(2500);
    assertEquals(new TreeMap<>(Map.of(0L, 100L, 200L, 500L, 2200L, 2500L)), set.snapshot());
    assertEquals(100 + 300 + 300, set.bytes());
  }

  @Test
  void takeRunsPunchesWholePagesOnlyAndKeepsPartialOnes() {
    UnpunchedSpace set = new UnpunchedSpace();
    set.add(P + 64, 5 * P); // whole pages [2P, 6P); partial [P+64, 2P) and [6P, 6P+64)
    set.add(10 * P, 2 * P - 64); // one whole page only: below the minimum of two
    set.add(20 * P, 2 * P); // exactly two pages
    assertArrayEquals(new long[] {2 * P, 4 * P, 20 * P, 2 * P}, set.takeRuns(2 * P));
    assertEquals(
        new TreeMap<>(Map.of(P + 64, 2 * P, 6 * P, 6 * P + 64, 10 * P, 12 * P - 64)),
        set.snapshot());
    assertArrayEquals(new long[0], set.takeRuns(2 * P), "nothing left that is long enough");
    assertArrayEquals(new long[] {10 * P, P}, set.takeRuns(P));
  }
}
