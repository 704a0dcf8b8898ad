package io.regionstore.lucene;

import io.regionstore.StoreStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.NoLockFactory;
import org.apache.lucene.tests.analysis.MockAnalyzer;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The durability decisions: {@code sync} checks but does not fsync; {@code syncMetaData} writes the
 * next catalog generation into the data file and makes it durable, with every byte it names, in
 * one fdatasync; and a one-shot Lucene commit costs one fdatasync in total. Counted through {@link
 * RegionDirectory#stats()} ({@code catalogSyncs} are those fdatasyncs; {@code dataSyncs} counts
 * only the store's own {@code sync}, which this directory never calls).
 *
 * <p>Lucene 10.5's {@code IndexWriter.commit} calls {@code syncMetaData} twice: in {@code
 * SegmentInfos.prepareCommit}, before it writes {@code pending_segments_N}, and in {@code
 * finishCommit}, after the rename to {@code segments_N}. The first adds nothing on a store (one
 * generation holds the whole commit) and is left out; an explicit {@code prepareCommit()} and every
 * other caller keep their fdatasync.
 */
public class TestCommitDurability extends LuceneTestCase {

  public void testSyncDoesNotFsyncAndSyncMetaDataCostsOneFdatasync() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      List<String> names = List.of("a", "b", "c");
      for (String name : names) {
        try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
          out.writeLong(1);
        }
      }
      StoreStats before = dir.stats();
      dir.sync(names);
      StoreStats after = dir.stats();
      assertEquals(before.dataSyncs(), after.dataSyncs());
      assertEquals(before.catalogSyncs(), after.catalogSyncs());
      dir.syncMetaData();
      StoreStats synced = dir.stats();
      assertEquals(before.dataSyncs(), synced.dataSyncs());
      assertEquals(before.catalogSyncs() + 1, synced.catalogSyncs());
      dir.rename("a", "d"); // a namespace change alone: one more generation, one fdatasync
      dir.syncMetaData();
      assertEquals(synced.dataSyncs(), dir.stats().dataSyncs());
      assertEquals(synced.catalogSyncs() + 1, dir.stats().catalogSyncs());
      dir.syncMetaData(); // nothing new: nothing written
      assertEquals(synced.dataSyncs(), dir.stats().dataSyncs());
      assertEquals(synced.catalogSyncs() + 1, dir.stats().catalogSyncs());
    }
  }

  public void testCommitFsyncsDoNotDependOnTheNumberOfFiles() throws IOException {
    Path path = createTempDir();
    AtomicInteger syncMetaDataCalls = new AtomicInteger();
    int docs = 0;
    try (RegionDirectory dir = new RegionDirectory(path)) {
      Directory counting =
          new FilterDirectory(dir) {
            @Override
            public void syncMetaData() throws IOException {
              syncMetaDataCalls.incrementAndGet();
              super.syncMetaData();
            }
          };
      IndexWriterConfig iwc =
          new IndexWriterConfig(new MockAnalyzer(random()))
              .setMergePolicy(NoMergePolicy.INSTANCE)
              .setUseCompoundFile(false)
              .setMaxBufferedDocs(10)
              .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH);
      try (IndexWriter writer = new IndexWriter(counting, iwc)) {
        for (int commit = 1; commit <= 3; commit++) {
          // commit k adds k*40 docs: 4, 8, 12 new segments of several files each
          for (int i = 0; i < commit * 40; i++) {
            Document doc = new Document();
            doc.add(new StringField("id", Integer.toString(docs++), Field.Store.YES));
            writer.addDocument(doc);
          }
          writer.flush();
          int filesBefore = dir.listAll().length;
          StoreStats before = dir.stats();
          syncMetaDataCalls.set(0);
          writer.commit();
          StoreStats after = dir.stats();
          assertTrue("files in the index: " + filesBefore, filesBefore >= 20 * commit);
          assertEquals("syncMetaData calls by IndexWriter.commit", 2, syncMetaDataCalls.get());
          assertEquals("store syncs of commit " + commit, 0, after.dataSyncs() - before.dataSyncs());
          assertEquals(
              "fdatasyncs of commit " + commit, 1, after.catalogSyncs() - before.catalogSyncs());
          assertEquals("generations of commit " + commit, 1, after.generation() - before.generation());
        }
        StoreStats before = dir.stats();
        writer.commit(); // nothing new: no fsync at all
        assertEquals(before.dataSyncs(), dir.stats().dataSyncs());
        assertEquals(before.catalogSyncs(), dir.stats().catalogSyncs());
      }
    }
    // what was committed is what a reopened directory holds
    try (RegionDirectory dir = new RegionDirectory(path);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(docs, reader.numDocs());
      assertTrue(Arrays.asList(dir.listAll()).contains("segments_3"));
    }
  }

  public void testExplicitPrepareCommitKeepsTheFdatasyncOfItsFirstPhase() throws IOException {
    Path path = createTempDir();
    try (RegionDirectory dir = new RegionDirectory(path);
        IndexWriter writer = new IndexWriter(dir, oneSegmentPerFlush())) {
      addDocs(writer, 0, 10);
      writer.commit(); // segments_1
      addDocs(writer, 10, 10);
      StoreStats before = dir.stats();
      writer.prepareCommit();
      StoreStats prepared = dir.stats();
      assertEquals("fdatasyncs of prepareCommit", 1, prepared.catalogSyncs() - before.catalogSyncs());
      // what prepareCommit made durable: the new segment's files, and still the old commit only
      try (RegionDirectory reader = RegionDirectory.openReadOnly(path)) {
        List<String> durable = Arrays.asList(reader.listAll());
        assertTrue(durable.toString(), durable.contains("_1.si"));
        assertTrue(durable.toString(), durable.contains("segments_1"));
        assertFalse(durable.toString(), durable.contains("pending_segments_2"));
        assertFalse(durable.toString(), durable.contains("segments_2"));
      }
      writer.commit();
      assertEquals("fdatasyncs of commit after prepareCommit", 1, dir.stats().catalogSyncs() - prepared.catalogSyncs());
    }
    try (RegionDirectory dir = RegionDirectory.openReadOnly(path);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(20, reader.numDocs());
      assertEquals("segments_2", reader.getIndexCommit().getSegmentsFileName());
    }
  }

  public void testSegmentInfosCommitCostsOneFdatasync() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      try (IndexWriter writer = new IndexWriter(dir, oneSegmentPerFlush())) {
        addDocs(writer, 0, 5);
      }
      SegmentInfos infos = SegmentInfos.readLatestCommit(dir);
      StoreStats before = dir.stats();
      infos.commit(dir);
      assertEquals(1, dir.stats().catalogSyncs() - before.catalogSyncs());
      assertEquals(infos.getSegmentsFileName(), SegmentInfos.readLatestCommit(dir).getSegmentsFileName());
    }
  }

  public void testEveryOtherCallerOfSyncMetaDataGetsItsFdatasync() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      Directory wrapped = new FilterDirectory(dir) {};
      for (int i = 0; i < 3; i++) {
        try (IndexOutput out = wrapped.createOutput("file" + i, IOContext.DEFAULT)) {
          out.writeInt(i);
        }
        StoreStats before = dir.stats();
        wrapped.syncMetaData();
        assertEquals(1, dir.stats().catalogSyncs() - before.catalogSyncs());
        assertEquals(1, dir.stats().generation() - before.generation());
      }
    }
  }

  /**
   * The process dies between the two steps of a one-shot commit (here: at the rename of {@code
   * pending_segments_N}, after the first step was left out): the store reopens at the previous
   * commit, with none of the new commit's files.
   */
  public void testDeathBetweenTheTwoStepsLeavesThePreviousCommit() throws IOException {
    Path path = createTempDir();
    List<String> committed;
    try (RegionDirectory dir = new RegionDirectory(path, NoLockFactory.INSTANCE)) {
      try (IndexWriter writer = new IndexWriter(dir, oneSegmentPerFlush())) {
        addDocs(writer, 0, 7);
        writer.commit();
      }
      committed = Arrays.asList(dir.listAll());
      StoreStats before = dir.stats();
      Directory dying =
          new FilterDirectory(dir) {
            @Override
            public void rename(String source, String dest) throws IOException {
              // what the store has made durable when the process dies here: nothing new
              assertEquals(before.catalogSyncs(), dir.stats().catalogSyncs());
              throw new IOException("the process dies before renaming " + source);
            }
          };
      IndexWriter writer = new IndexWriter(dying, oneSegmentPerFlush());
      addDocs(writer, 7, 5);
      IOException died = expectThrows(IOException.class, writer::commit);
      assertTrue(died.getMessage(), died.getMessage().startsWith("the process dies before renaming pending_segments_"));
      // no rollback, no close: the directory closes under the abandoned writer, as in a crash
    }
    try (RegionDirectory dir = new RegionDirectory(path);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(7, reader.numDocs());
      assertEquals(committed, Arrays.asList(dir.listAll()));
    }
  }

  private static IndexWriterConfig oneSegmentPerFlush() {
    return new IndexWriterConfig(new MockAnalyzer(random()))
        .setMergePolicy(NoMergePolicy.INSTANCE)
        .setUseCompoundFile(true)
        .setCommitOnClose(true);
  }

  private static void addDocs(IndexWriter writer, int first, int count) throws IOException {
    for (int i = first; i < first + count; i++) {
      Document doc = new Document();
      doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
      writer.addDocument(doc);
    }
  }
}
