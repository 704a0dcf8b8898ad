package io.regionstore.events;

import static io.regionstore.events.CommitEventTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.regionstore.RegionReader;
import io.regionstore.RegionStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderPinEventTest {
  @TempDir Path dir;

  @Test
  void aReadOnlyProcessRecordsEachChangeOfItsPin() throws IOException {
    try (RegionStore writer = RegionStore.open(dir)) {
      put(writer, "a", 10);
      writer.syncMetadata();
      long g = writer.generation();
      List<RecordedEvent> events =
          Recorded.during(
              "io.regionstore.ReaderPin",
              "file",
              dir.resolve("regionstore.readers").toString(),
              () -> {
                try (RegionStore reader = RegionStore.openReadOnly(dir)) {
                  RegionReader r = reader.openReader("a"); // keeps g pinned
                  put(writer, "b", 10);
                  writer.syncMetadata();
                  reader.refresh(); // g + 1 loaded, g still read: no change
                  r.close(); // now g + 1 is the oldest
                }
              });
      long pid = ProcessHandle.current().pid();
      assertEquals(3, events.size(), events.toString());
      long[][] changes = {{0, g}, {g, g + 1}, {g + 1, 0}};
      for (int i = 0; i < 3; i++) {
        assertEquals(changes[i][0], events.get(i).getLong("previousGeneration"), "change " + i);
        assertEquals(changes[i][1], events.get(i).getLong("generation"), "change " + i);
        assertEquals(pid, events.get(i).getLong("pid"));
        assertEquals(events.get(0).getInt("slot"), events.get(i).getInt("slot"));
      }
    }
  }
}
