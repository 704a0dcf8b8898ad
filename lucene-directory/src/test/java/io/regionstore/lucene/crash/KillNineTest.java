package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionStore;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of an indexing process, again and again on the same index: a child JVM ({@link
 * CrashingIndexer}) adds, updates and deletes Europarl documents, updates doc values and merges,
 * committing often and printing every acknowledged commit; this test SIGKILLs it at a random
 * moment (every other time, a random moment after its first commit), and after every kill checks
 * that the index opens at a commit at least as new as the last
 * acknowledged one, equal document by document to the {@link CrashModel} replayed to that commit,
 * passes CheckIndex, and that the store's space accounting is exact. The next child resumes from
 * whatever commit was recovered.
 *
 * <p>20 kills per CI run; {@code -Dregionstore.tests.long=true} runs 200. {@code
 * -Dregionstore.tests.seed=N} replays a seed.
 */
class KillNineTest {
  private static final boolean LONG = Boolean.getBoolean("regionstore.tests.long");

  @TempDir Path dir;

  @Test
  void everyKillRecoversAtLeastTheLastAcknowledgedCommitExactly() throws Exception {
    long seed = Long.getLong("regionstore.tests.seed", new Random().nextLong());
    int kills = LONG ? 200 : 20;
    Random rnd = new Random(seed);
    Path index = dir.resolve("index");
    int killsAfterACommit = 0;
    int recovered = 0;
    for (int k = 0; k < kills; k++) {
      List<String> lines = new CopyOnWriteArrayList<>();
      CountDownLatch ready = new CountDownLatch(1);
      Process child = ChildJvm.start(CrashingIndexer.class, index.toString(), Long.toString(seed));
      try {
        Thread reader = ChildJvm.collect(child, lines, ready, "READY ");
        assertTrue(ready.await(120, TimeUnit.SECONDS), "child never got ready: " + lines);
        if (k % 2 == 0) {
          // every other kill lands after the child's first commit, however slow a loaded machine
          // makes that commit; the others land anywhere from READY on
          awaitFirstCommit(lines, child);
        }
        Thread.sleep(rnd.nextInt(1500));
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        reader.join(10_000);
      } finally {
        child.destroyForcibly();
      }
      int acknowledged = acknowledged(lines);
      if (lines.stream().anyMatch(l -> l.startsWith("COMMITTED "))) {
        killsAfterACommit++;
      }
      String context = "kill " + k + " (seed " + seed + ", acknowledged " + acknowledged + ")";
      int now = verify(index, seed, acknowledged, context);
      assertTrue(now >= recovered, context + ": went back from commit " + recovered + " to " + now);
      recovered = now;
    }
    assertTrue(killsAfterACommit >= kills / 2, "most kills must land after commits: " + killsAfterACommit);
    System.out.printf("KillNineTest: %d kills, index at commit %d after the last%n", kills, recovered);
  }

  /** Checks the recovered index against the model; returns the commit it holds. */
  private static int verify(Path index, long seed, int acknowledged, String context) throws IOException {
    int seq;
    TreeMap<String, List<Long>> actual = new TreeMap<>();
    try (RegionDirectory dir = new RegionDirectory(index)) {
      if (!DirectoryReader.indexExists(dir)) {
        assertEquals(0, acknowledged, context + ": acknowledged commits but no index");
        return 0;
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        seq = Integer.parseInt(reader.getIndexCommit().getUserData().get("seq"));
        for (LeafReaderContext leaf : reader.leaves()) {
          StoredFields stored = leaf.reader().storedFields();
          NumericDocValues versions = leaf.reader().getNumericDocValues("version");
          Bits liveDocs = leaf.reader().getLiveDocs();
          for (int d = 0; d < leaf.reader().maxDoc(); d++) {
            if (liveDocs != null && !liveDocs.get(d)) {
              continue;
            }
            var doc = stored.document(d);
            assertNotNull(versions, context);
            assertTrue(versions.advanceExact(d), context + ": doc without version");
            List<Long> previous =
                actual.put(doc.get("id"), List.of(doc.getField("line").numericValue().longValue(), versions.longValue()));
            assertEquals(null, previous, context + ": id " + doc.get("id") + " twice");
          }
        }
      }
      try (CheckIndex check = new CheckIndex(dir)) {
        CheckIndex.Status status = check.checkIndex();
        assertTrue(status.clean, context + ": CheckIndex found problems");
      }
    }
    assertTrue(seq >= acknowledged, context + ": recovered commit " + seq + " is older than the acknowledged one");
    CrashModel model = new CrashModel(seed);
    model.replay(seq);
    TreeMap<String, List<Long>> expected = new TreeMap<>();
    for (Map.Entry<String, long[]> e : model.live().entrySet()) {
      expected.put(e.getKey(), List.of(e.getValue()[0], e.getValue()[1]));
    }
    assertEquals(expected, actual, context + ": index differs from the model at commit " + seq);
    try (RegionStore store = RegionStore.open(index)) {
      store.checkSpace();
    }
    return seq;
  }

  private static void awaitFirstCommit(List<String> lines, Process child) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines.stream().noneMatch(l -> l.startsWith("COMMITTED "))) {
      assertTrue(child.isAlive() && System.nanoTime() < deadline, "child never committed: " + lines);
      Thread.sleep(5);
    }
  }

  private static int acknowledged(List<String> lines) {
    int acked = 0;
    for (String line : lines) {
      if (line.startsWith("COMMITTED ") || line.startsWith("READY ")) {
        acked = Math.max(acked, Integer.parseInt(line.substring(line.indexOf(' ') + 1).trim()));
      }
    }
    return acked;
  }
}
