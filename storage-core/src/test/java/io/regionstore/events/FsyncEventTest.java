package io.regionstore.events;

import static io.regionstore.events.CommitEventTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.regionstore.RegionStore;
import io.regionstore.StoreOptions;
import io.regionstore.errors.StoreFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncEventTest {
  @TempDir Path dir;

  @Test
  void everyFdatasyncIsRecordedWithItsPurposeAndOutcome() throws IOException {
    Path data = dir.resolve("regionstore.data");
    AtomicBoolean failForce = new AtomicBoolean();
    StoreOptions options = Recorded.failing("force", failForce);
    try (RegionStore store = RegionStore.open(dir, options)) {
      long next = store.generation() + 1;
      List<RecordedEvent> events =
          Recorded.during(
              "io.regionstore.Fsync",
              "file",
              data.toString(),
              () -> {
                put(store, "a", 10);
                store.sync(List.of("a"));
                store.syncMetadata();
                put(store, "b", 10);
                failForce.set(true);
                assertThrows(StoreFailedException.class, store::syncMetadata);
              });
      assertEquals(3, events.size(), events.toString());
      assertEquals("regions", events.get(0).getString("purpose"));
      assertEquals(true, events.get(0).getBoolean("succeeded"));
      assertEquals("catalog generation " + next, events.get(1).getString("purpose"));
      assertEquals(true, events.get(1).getBoolean("succeeded"));
      assertEquals("catalog generation " + (next + 1), events.get(2).getString("purpose"));
      assertEquals(false, events.get(2).getBoolean("succeeded"));
    }
  }
}
