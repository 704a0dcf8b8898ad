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
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.tests.analysis.MockAnalyzer;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The durability decision: {@code sync} checks but does not fsync; {@code syncMetaData} writes the
 * next catalog generation into the data file and makes it durable, with every byte it names, in
 * one fdatasync. So the fsyncs of a commit do not depend on how many files it has, counted through
 * {@link RegionDirectory#stats()} ({@code catalogSyncs} are those fdatasyncs; {@code dataSyncs}
 * counts only the store's own {@code sync}, which this directory never calls).
 *
 * <p>Lucene 10.5's {@code IndexWriter.commit} calls {@code syncMetaData} twice: in {@code
 * SegmentInfos.prepareCommit}, before it writes {@code pending_segments_N} (to make the new
 * segment files' names durable first), and in {@code finishCommit}, after the rename to {@code
 * segments_N}. A commit therefore costs exactly two fdatasyncs, whatever its number of files.
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
              "fdatasyncs of commit " + commit, 2, after.catalogSyncs() - before.catalogSyncs());
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
}
