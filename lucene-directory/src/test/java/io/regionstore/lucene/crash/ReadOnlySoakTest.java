package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.lucene.RegionDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
      Process reader = start(this.dir, seed);
      try {
        CountDownLatch ready = new CountDownLatch(1);
        collect(reader, lines, ready);
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

  private static Process start(Path index, long seed) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ReadOnlySearchLoop.class.getName());
    command.add(index.toString());
    command.add(Long.toString(seed));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void collect(Process child, List<String> lines, CountDownLatch ready) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                  if (line.equals("READY")) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // the child was killed: its output ends here
              }
            },
            "soak-reader-output");
    t.setDaemon(true);
    t.start();
  }
}
