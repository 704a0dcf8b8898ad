package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotRunsTest {
  @Test
  void bumpThenExactRunThenBestFitThenSingles() {
    SlotRuns runs = new SlotRuns();
    assertEquals(0, runs.takeBump(10));
    assertEquals(10, runs.bump());
    for (int s : new int[] {1, 2, 4, 5, 6, 8}) {
      runs.free(s);
    }
    assertEquals(Map.of(1, 2, 4, 3, 8, 1), runs.runs());
    assertEquals(6, runs.freeCount());
    assertEquals(1, runs.takeExact(2), "the run of exactly 2");
    assertEquals(-1, runs.takeExact(2));
    assertEquals(4, runs.takeBestFit(2), "the shortest run longer than 2 is cut");
    assertEquals(Map.of(6, 1, 8, 1), runs.runs());
    assertEquals(-1, runs.takeBestFit(1), "no run longer than 1");
    assertEquals(6, runs.takeOne());
    assertEquals(8, runs.takeOne());
    assertEquals(-1, runs.takeOne());
    assertEquals(0, runs.freeCount());
  }

  @Test
  void singlesComeFromTheShortestRunSoLongRunsStayWhole() {
    SlotRuns runs = new SlotRuns();
    runs.takeBump(20);
    for (int s = 0; s < 8; s++) {
      runs.free(s);
    }
    runs.free(12);
    assertEquals(12, runs.takeOne());
    assertEquals(0, runs.takeExact(8));
  }

  @Test
  void freeMergesBothNeighbours() {
    SlotRuns runs = new SlotRuns();
    runs.takeBump(5);
    runs.free(1);
    runs.free(3);
    runs.free(2);
    assertEquals(Map.of(1, 3), runs.runs());
    runs.free(0);
    runs.free(4);
    assertEquals(Map.of(0, 5), runs.runs());
    assertEquals(0, runs.takeExact(5));
  }

  @Test
  void doubleFreeAndUnallocatedSlotsAreRefused() {
    SlotRuns runs = new SlotRuns();
    runs.takeBump(4);
    runs.free(1);
    runs.free(2);
    assertTrue(assertThrows(IllegalStateException.class, () -> runs.free(2)).getMessage().contains("double free of slot 2"));
    assertTrue(assertThrows(IllegalStateException.class, () -> runs.free(4)).getMessage().contains("never allocated"));
    assertThrows(IllegalStateException.class, () -> runs.free(-1));
  }
}
