package io.regionstore.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionStore;
import io.regionstore.RegionWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitEventTest {
  @TempDir Path dir;

  @Test
  void aCommitRecordsItsGenerationRegionsBytesAndFsyncTime() throws IOException {
    try (RegionStore store = RegionStore.open(dir)) {
      long[] generation = new long[1];
      List<RecordedEvent> events =
          Recorded.during(
              "io.regionstore.Commit",
              "store",
              dir.toString(),
              () -> {
                put(store, "a", 100);
                put(store, "bb", 5000);
                store.syncMetadata();
                generation[0] = store.generation();
                store.syncMetadata(); // nothing new: no commit, no event
              });
      assertEquals(1, events.size(), events.toString());
      RecordedEvent commit = events.get(0);
      assertEquals(generation[0], commit.getLong("generation"));
      assertEquals(2, commit.getInt("regions"));
      assertEquals(5100, commit.getLong("regionBytes"));
      // header 48, per region 1 + name + 8 + 4 + 4 + 16 per extent (one each), CRC 4
      assertEquals(48 + (34 + 35) + 4, commit.getLong("catalogBytes"));
      long fsync = commit.getLong("fsyncTime");
      assertTrue(fsync > 0 && fsync <= commit.getDuration().toNanos(), fsync + " in " + commit.getDuration());
    }
  }

  static void put(RegionStore store, String name, int length) throws IOException {
    try (RegionWriter w = store.create(name)) {
      w.write(new byte[length], 0, length);
    }
  }
}
