package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestReadRecorder {
  @Test
  void overlappingAndTouchingReadsMergePerFile() {
    ReadRecorder r = new ReadRecorder();
    r.record("b", 100, 10); // [100, 110)
    r.record("b", 110, 5); // touches: [100, 115)
    r.record("b", 90, 20); // overlaps: [90, 115)
    r.record("b", 200, 1);
    r.record("b", 120, 100); // swallows [200, 201): [120, 220)
    r.record("b", 0, 0); // nothing read
    r.record("a", 5, 3);
    r.record("a", 0, 4); // [0, 4) and [5, 8) stay apart
    assertEquals(
        List.of(
            new ReadRecorder.Range("a", 0, 4),
            new ReadRecorder.Range("a", 5, 3),
            new ReadRecorder.Range("b", 90, 25),
            new ReadRecorder.Range("b", 120, 100)),
        r.ranges());
  }
}
