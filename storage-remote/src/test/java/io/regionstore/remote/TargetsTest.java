package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

  private static MemorySegment bytes(int n) {
    return MemorySegment.ofArray(new byte[n]);
  }

  @Test
  void sumsTheTargetsOfARunInsideTheFile() throws EOFException {
    assertEquals(0, Targets.checkedLength("f", 100, 0, List.of()));
    assertEquals(0, Targets.checkedLength("f", 100, 100, List.of(bytes(0))));
    assertEquals(100, Targets.checkedLength("f", 100, 0, List.of(bytes(40), bytes(0), bytes(60))));
    assertEquals(1, Targets.checkedLength("f", 100, 99, List.of(bytes(1))));
  }

  @Test
  void aRunPastTheEndIsEof() {
    EOFException e = assertThrows(EOFException.class, () -> Targets.checkedLength("f", 100, 60, List.of(bytes(40), bytes(1))));
    assertEquals("f: read of 41 bytes at 60 runs past the end (length 100)", e.getMessage());
    assertThrows(EOFException.class, () -> Targets.checkedLength("f", 100, 101, List.of()));
    assertThrows(EOFException.class, () -> Targets.checkedLength("f", 100, Long.MAX_VALUE, List.of(bytes(1))));
  }

  @Test
  void negativePositionsAndReadOnlyTargetsAreRefused() {
    assertEquals(
        "f: negative position -5",
        assertThrows(IllegalArgumentException.class, () -> Targets.checkedLength("f", 100, -5, List.of(bytes(1))))
            .getMessage());
    MemorySegment readOnly = bytes(4).asReadOnly();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Targets.checkedLength("f", 100, 0, List.of(readOnly)));
    assertEquals("f: read-only target segment " + readOnly, e.getMessage());
  }
}
