package io.regionstore.events;

import static io.regionstore.events.CommitEventTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.CompactionResult;
import io.regionstore.RegionStore;
import io.regionstore.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionEventTest {
  @TempDir Path dir;

  @Test
  void aCompactionRecordsWhatItMovedAndTheFileSizes() throws IOException {
    StoreOptions small = StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).build();
    try (RegionStore store = RegionStore.open(dir, small)) {
      for (int i = 0; i < 12; i++) {
        put(store, "r" + i, 30_000);
      }
      store.syncMetadata();
      for (int i = 0; i < 11; i++) {
        store.delete("r" + i);
      }
      store.syncMetadata();
      CompactionResult[] result = new CompactionResult[1];
      List<RecordedEvent> events =
          Recorded.during("io.regionstore.Compaction", "store", dir.toString(), () -> result[0] = store.compact());
      assertEquals(1, events.size(), events.toString());
      RecordedEvent e = events.get(0);
      assertTrue(result[0].regionsMoved() > 0, result[0].toString());
      assertEquals(result[0].regionsMoved(), e.getInt("regionsMoved"));
      assertEquals(result[0].bytesMoved(), e.getLong("bytesMoved"));
      assertEquals(result[0].fileSizeBefore(), e.getLong("fileSizeBefore"));
      assertEquals(result[0].fileSizeAfter(), e.getLong("fileSizeAfter"));
      assertTrue(e.getLong("fileSizeAfter") < e.getLong("fileSizeBefore"), e.toString());
    }
  }
}
