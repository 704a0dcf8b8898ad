package io.regionstore.events;

import static io.regionstore.events.CommitEventTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.regionstore.RegionStore;
import io.regionstore.StoreOptions;
import io.regionstore.io.SparseFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HolePunchEventTest {
  @TempDir Path dir;

  @Test
  void eachBatchRecordsItsRangesBytesAndOutcome() throws IOException {
    Path data = dir.resolve("regionstore.data");
    assumeTrue(SparseFile.supported(), "hole punching needs Linux and native access");
    AtomicBoolean failPunch = new AtomicBoolean();
    StoreOptions options = Recorded.failing("punch", failPunch);
    try (RegionStore store = RegionStore.open(dir, options)) {
      long[] punched = new long[1];
      List<RecordedEvent> events =
          Recorded.during(
              "io.regionstore.HolePunch",
              "file",
              data.toString(),
              () -> {
                put(store, "a", 1 << 20);
                store.syncMetadata(); // first commit: the never-used rest of the chunk is punched
                store.delete("a");
                store.syncMetadata();
                put(store, "b", 10);
                store.syncMetadata(); // a is free now: punched
                punched[0] = store.stats().punchedBytes();
                store.delete("b");
                put(store, "c", 1 << 20);
                store.syncMetadata();
                store.delete("c");
                store.syncMetadata();
                failPunch.set(true);
                put(store, "d", 10);
                store.syncMetadata(); // c is free now: its punch fails, the commit does not
              });
      assertTrue(events.size() >= 3, events.toString());
      long sum = 0;
      for (RecordedEvent e : events.subList(0, events.size() - 1)) {
        assertTrue(e.getBoolean("punched"), e.toString());
        assertTrue(e.getInt("ranges") > 0, e.toString());
        sum += e.getLong("bytes");
      }
      assertEquals(store.stats().punchedBytes(), sum);
      assertTrue(punched[0] >= 1 << 20, "a's megabyte was given back: " + punched[0]);
      RecordedEvent failed = events.get(events.size() - 1);
      assertFalse(failed.getBoolean("punched"));
      assertEquals("java.io.IOException: injected punch failure", failed.getString("error"));
      assertTrue(failed.getLong("bytes") >= 1 << 20, failed.toString());
      assertTrue(store.exists("d"));
      assertEquals(sum, store.stats().punchedBytes(), "no more punching after a failure");
    }
  }
}
