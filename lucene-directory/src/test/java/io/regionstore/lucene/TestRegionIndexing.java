package io.regionstore.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.tests.analysis.MockAnalyzer;
import org.apache.lucene.tests.store.MockDirectoryWrapper;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;

/**
 * Randomized indexing on {@link RegionDirectory} wrapped in Lucene's {@link MockDirectoryWrapper}
 * (which checks for unclosed files, runs CheckIndex on close, injects IOExceptions and simulates
 * crashes): flushes, merges, deletes, updates, doc-values updates, NRT readers and forceMerge, each
 * ending with exact document counts against a model of what was committed.
 */
public class TestRegionIndexing extends LuceneTestCase {

  private MockDirectoryWrapper newDir(Path path) throws IOException {
    MockDirectoryWrapper dir =
        new MockDirectoryWrapper(
            random(),
            new RegionDirectory(
                path,
                org.apache.lucene.store.FSLockFactory.getDefault(),
                RegionTestUtil.randomConfig(random())));
    dir.setThrottling(MockDirectoryWrapper.Throttling.NEVER);
    return dir;
  }

  private IndexWriterConfig newConfig() {
    IndexWriterConfig iwc = newIndexWriterConfig(new MockAnalyzer(random()));
    iwc.setMaxBufferedDocs(TestUtil.nextInt(random(), 5, 50));
    return iwc;
  }

  private static Document doc(int id, long value) {
    Document doc = new Document();
    doc.add(new StringField("id", Integer.toString(id), Field.Store.YES));
    doc.add(new TextField("body", "common " + (id % 7 == 0 ? "seven" : "other"), Field.Store.NO));
    doc.add(new NumericDocValuesField("value", value));
    return doc;
  }

  /** Adds, updates, deletes and doc-values updates checked through NRT readers and at the end. */
  public void testRandomOperationsWithNrtReaders() throws IOException {
    int ops = RegionTestUtil.longTests() ? 20_000 : atLeast(2_000);
    Map<Integer, Long> model = new HashMap<>();
    try (MockDirectoryWrapper dir = newDir(createTempDir())) {
      try (IndexWriter writer = new IndexWriter(dir, newConfig())) {
        int nextId = 0;
        for (int op = 0; op < ops; op++) {
          int choice = random().nextInt(100);
          if (choice < 55 || model.isEmpty()) {
            long value = random().nextLong();
            writer.addDocument(doc(nextId, value));
            model.put(nextId++, value);
          } else {
            int id = random().nextInt(nextId);
            Term term = new Term("id", Integer.toString(id));
            if (choice < 70) {
              long value = random().nextLong();
              writer.updateDocument(term, doc(id, value));
              model.put(id, value);
            } else if (choice < 80) {
              writer.deleteDocuments(term);
              model.remove(id);
            } else if (choice < 92) {
              long value = random().nextLong();
              writer.updateNumericDocValue(term, "value", value);
              if (model.containsKey(id)) {
                model.put(id, value);
              }
            } else if (choice < 97) {
              try (DirectoryReader nrt = DirectoryReader.open(writer)) {
                assertModel(nrt, model);
              }
            } else {
              writer.commit();
            }
          }
        }
        writer.forceMerge(1);
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(1, reader.leaves().size());
        assertModel(reader, model);
      }
    } // MockDirectoryWrapper.close runs CheckIndex
  }

  /**
   * Random IOExceptions everywhere (writes, opens, syncs). After any failure the writer is rolled
   * back and reopened; the last commit must hold exactly the documents committed by a commit that
   * returned, or, for a commit that failed, either the documents before it or those it tried to
   * commit.
   */
  public void testRandomIOExceptionsKeepTheLastCommit() throws IOException {
    int rounds = RegionTestUtil.longTests() ? 200 : atLeast(20);
    Path path = createTempDir();
    try (MockDirectoryWrapper dir = newDir(path)) {
      Set<Integer> committed = new HashSet<>();
      new IndexWriter(dir, newConfig()).close(); // an empty first commit
      int nextId = 0;
      for (int round = 0; round < rounds; round++) {
        Set<Integer> pending = new HashSet<>();
        // merges on this thread, so their failures reach the commit instead of a merge thread
        IndexWriter writer =
            new IndexWriter(dir, newConfig().setMergeScheduler(new SerialMergeScheduler()));
        dir.setRandomIOExceptionRate(0.01 + random().nextDouble() * 0.05);
        dir.setRandomIOExceptionRateOnOpen(random().nextDouble() * 0.02);
        boolean failed = false;
        try {
          int docs = TestUtil.nextInt(random(), 10, 100);
          for (int i = 0; i < docs; i++) {
            try {
              writer.addDocument(doc(nextId, nextId));
              pending.add(nextId);
            } catch (IOException e) {
              // a failed add adds nothing; the writer may or may not survive it
            } finally {
              nextId++;
            }
          }
          if (random().nextBoolean()) {
            writer.forceMerge(1 + random().nextInt(3));
          }
          writer.commit();
        } catch (IOException | IllegalStateException e) {
          // IllegalStateException: AlreadyClosedException or "hit an unrecoverable error" of a
          // writer that a random IOException made tragic
          failed = true;
        } finally {
          dir.setRandomIOExceptionRate(0);
          dir.setRandomIOExceptionRateOnOpen(0);
        }
        if (failed) {
          writer.rollback();
        } else {
          writer.close();
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          Set<Integer> ids = ids(reader);
          Set<Integer> attempted = new HashSet<>(committed);
          attempted.addAll(pending);
          if (failed) {
            assertTrue(
                "round " + round + ": " + ids.size() + " docs, committed " + committed.size()
                    + ", attempted " + attempted.size(),
                ids.equals(committed) || ids.equals(attempted));
          } else {
            assertEquals("round " + round, attempted, ids);
          }
          committed = ids;
          assertEquals(committed.size(), reader.numDocs());
        }
      }
    } // CheckIndex
  }

  /**
   * {@link MockDirectoryWrapper#crash()} throws away what was not synced (as an OS crash would);
   * the index must reopen at its last commit with exactly its documents. The same holds for the
   * store: closing it without {@code syncMetaData} loses only what came after the last commit.
   */
  public void testCrashKeepsExactlyTheLastCommit() throws IOException {
    Path path = createTempDir();
    int committedDocs;
    try (MockDirectoryWrapper dir = newDir(path)) {
      dir.setCheckIndexOnClose(false); // the crash leaves the writer's files unreferenced
      // Merges run in the indexing thread: crash() closes every open input, and a background
      // merge reading one at that moment would fail in its own thread.
      IndexWriter writer = new IndexWriter(dir, newConfig().setMergeScheduler(new SerialMergeScheduler()));
      int id = 0;
      for (; id < 150; id++) {
        writer.addDocument(doc(id, id));
      }
      writer.commit();
      committedDocs = id;
      for (; id < 250; id++) {
        writer.addDocument(doc(id, id));
        if (id % 30 == 0) {
          writer.deleteDocuments(new Term("id", Integer.toString(id - 100)));
          writer.flush();
        }
      }
      dir.crash();
      try {
        writer.rollback();
      } catch (IOException | RuntimeException e) {
        // files of the crashed writer are gone or garbage: rollback may fail
      }
      dir.clearCrash();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(committedDocs, reader.numDocs());
        assertEquals(committedDocs, ids(reader).size());
      }
    }
    // the store itself: reopened from disk it holds the last commit
    try (RegionDirectory dir = new RegionDirectory(path)) {
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(committedDocs, reader.numDocs());
      }
      // uncommitted work, then close without a commit (no syncMetaData): gone on reopen
      IndexWriter writer =
          new IndexWriter(dir, new IndexWriterConfig(new MockAnalyzer(random())));
      for (int i = 0; i < 40; i++) {
        writer.addDocument(doc(10_000 + i, i));
      }
      writer.flush();
      List<String> files = List.of(dir.listAll());
      assertTrue(files.toString(), files.size() > 3);
      writer.rollback();
    }
    try (MockDirectoryWrapper dir = newDir(path)) { // CheckIndex on close
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(committedDocs, reader.numDocs());
      }
    }
  }

  private static Set<Integer> ids(DirectoryReader reader) throws IOException {
    Set<Integer> ids = new HashSet<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      StoredFields stored = leaf.reader().storedFields();
      var live = leaf.reader().getLiveDocs();
      for (int d = 0; d < leaf.reader().maxDoc(); d++) {
        if (live == null || live.get(d)) {
          assertTrue("duplicate id", ids.add(Integer.parseInt(stored.document(d).get("id"))));
        }
      }
    }
    return ids;
  }

  private static void assertModel(DirectoryReader reader, Map<Integer, Long> model)
      throws IOException {
    assertEquals(model.size(), reader.numDocs());
    IndexSearcher searcher = new IndexSearcher(reader);
    assertEquals(model.size(), searcher.count(new TermQuery(new Term("body", "common"))));
    long sevens = model.keySet().stream().filter(id -> id % 7 == 0).count();
    assertEquals(sevens, searcher.count(new TermQuery(new Term("body", "seven"))));
    Map<Integer, Long> seen = new HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      StoredFields stored = leaf.reader().storedFields();
      NumericDocValues values = leaf.reader().getNumericDocValues("value");
      var live = leaf.reader().getLiveDocs();
      for (int d = 0; d < leaf.reader().maxDoc(); d++) {
        if (live == null || live.get(d)) {
          assertTrue(values.advanceExact(d));
          seen.put(Integer.parseInt(stored.document(d).get("id")), values.longValue());
        }
      }
    }
    assertEquals(model, seen);
  }
}
