package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.lucene.RegionDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.IndexWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only process ({@link ReadOnlySearchLoop}) searches in a loop while this process commits,
 * merges, updates and deletes: the reader must never see an exception or a wrong count, which it
 * would if the writer reused space the reader still reads. Then the reader is killed with SIGKILL
 * and its pins must stop holding space.
 *
 * <p>{@code -Dregionstore.tests.long=true} runs 1,000 commits instead of 150.
 */
class ReadOnlySoakTest {
  private static final boolean LONG = Boolean.getBoolean("regionstore.tests.long");

  @TempDir Path dir;

  @Test
  void aReaderProcessSeesOnlyCorrectCommitsAndItsPinsDieWithIt() throws Exception {
    long seed = new Random().nextLong();
    int commits = LONG ? 1000 : 150;
    CrashModel model = new CrashModel(seed);
    List<String> lines = new CopyOnWriteArrayList<>();
    long maxPending = 0;
    int maxReaderProcesses = 0;
    try (RegionDirectory dir = new RegionDirectory(this.dir);
        IndexWriter writer = new IndexWriter(dir, CrashingIndexer.config())) {
      CrashingIndexer.commit(writer, model, 1);
      Process reader = ChildJvm.start(ReadOnlySearchLoop.class, this.dir.toString(), Long.toString(seed));
      try {
        CountDownLatch ready = new CountDownLatch(1);
        ChildJvm.collect(reader, lines, ready, "READY");
        assertTrue(ready.await(120, TimeUnit.SECONDS), "reader never got ready: " + lines);
        for (int c = 2; c <= commits; c++) {
          CrashingIndexer.commit(writer, model, c);
          maxPending = Math.max(maxPending, dir.stats().pendingFreeBytes());
          maxReaderProcesses = Math.max(maxReaderProcesses, dir.stats().readerProcesses());
          assertTrue(reader.isAlive(), "the reader died: " + lines);
        }
        long checked = lines.stream().filter(l -> l.startsWith("CHECKED ")).count();
        assertTrue(checked >= 10, "the reader checked only " + checked + " commits: " + lines);
      } finally {
        reader.destroyForcibly(); // SIGKILL: its reader-table slot is never cleared
        reader.waitFor(60, TimeUnit.SECONDS);
      }
      assertFalse(lines.stream().anyMatch(l -> l.startsWith("FAIL")), String.join("\n", lines));
      assertEquals(1, maxReaderProcesses, "the reader process pinned its generations");
      assertEquals(0, dir.stats().readerProcesses(), "a SIGKILLed reader pins nothing");
      for (int c = commits + 1; c <= commits + 3; c++) {
        CrashingIndexer.commit(writer, model, c);
      }
      assertTrue(dir.stats().pendingFreeBytes() < maxPending, "space held while the reader lived is released");
      dir.checkSpace();
      assertEquals(model.live().size(), writer.getDocStats().numDocs);
    }
    System.out.printf(
        "ReadOnlySoakTest: %d commits, reader checked %d, at most %d bytes pending reuse%n",
        commits, lines.stream().filter(l -> l.startsWith("CHECKED ")).count(), maxPending);
  }
}
