package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.regionstore.pack.HotRange;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotWindowsTest {
  private final MemorySegment front = MemorySegment.ofArray(new byte[1000]);
  private final HotWindows windows;

  HotWindowsTest() {
    for (int i = 0; i < 1000; i++) {
      front.set(ValueLayout.JAVA_BYTE, i, (byte) i);
    }
    // region bytes [0, 64) at front 100, [4000, 4016) at front 500
    windows =
        new HotWindows(List.of(new HotRange("f", 0, 64, 100), new HotRange("f", 4000, 16, 500)), front);
  }

  @Test
  void aPositionFindsTheRangeHoldingTheWholeRead() {
    assertEquals(0, windows.find(0, 1));
    assertEquals(0, windows.find(63, 1));
    assertEquals(0, windows.find(10, 54));
    assertEquals(-1, windows.find(10, 55), "reaches past the first range");
    assertEquals(-1, windows.find(64, 1));
    assertEquals(-1, windows.find(3999, 1));
    assertEquals(1, windows.find(4000, 16));
    assertEquals(-1, windows.find(4015, 2));
    assertEquals(-1, windows.find(5000, 1));
  }

  @Test
  void aWindowIsTheCopyInTheFront() {
    assertEquals(4000, windows.start(1));
    MemorySegment w = windows.window(1);
    assertEquals(16, w.byteSize());
    assertEquals((byte) 500, w.get(ValueLayout.JAVA_BYTE, 0));
    assertEquals((byte) 515, w.get(ValueLayout.JAVA_BYTE, 15));
  }

  @Test
  void noRangesFindNothing() {
    assertEquals(-1, new HotWindows(List.of(), front).find(0, 1));
  }
}
