package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.regionstore.StoreStats;
import io.regionstore.io.SparseFile;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk usage follows live bytes: after indexing the Europarl corpus with merges, a force merge and
 * the commits that let both catalog slots forget the merged-away files, the data file occupies (as
 * {@code du} counts: {@code st_blocks * 512}) at most 1.1 times the bytes of its live files. Freed
 * space is given back by punching holes; without that the data file would keep every byte the
 * merges freed. The same procedure on {@code MMapDirectory} is printed beside it.
 */
class DiskUsageTest {
  @TempDir Path root;

  @Test
  void allocatedBytesStayWithinATenthOfLiveBytesAfterAForceMerge() throws IOException {
    Path regionPath = root.resolve("region");
    assumeTrue(SparseFile.supported(), "needs Linux and native access");
    StoreStats stats;
    try (RegionDirectory dir = new RegionDirectory(regionPath)) {
      index(dir);
      stats = dir.stats();
      dir.checkSpace();
    }
    Path mmapPath = root.resolve("mmap");
    long mmapLive = 0;
    long mmapAllocated = 0;
    try (Directory dir = new MMapDirectory(mmapPath)) {
      index(dir);
      for (String file : dir.listAll()) {
        mmapLive += dir.fileLength(file);
        mmapAllocated += SparseFile.of(mmapPath.resolve(file)).allocatedBytes();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "DiskUsageTest: RegionDirectory live %,d B, allocated (du) %,d B = %.3fx live, data file %,d B,"
            + " punched %,d B; MMapDirectory files %,d B, allocated (du) %,d B = %.3fx%n",
        stats.liveBytes(),
        stats.allocatedBytes(),
        stats.allocatedBytes() / (double) stats.liveBytes(),
        stats.fileSize(),
        stats.punchedBytes(),
        mmapLive,
        mmapAllocated,
        mmapAllocated / (double) mmapLive);
    assertTrue(
        stats.allocatedBytes() <= 1.1 * stats.liveBytes(),
        "allocated " + stats.allocatedBytes() + " > 1.1 x live " + stats.liveBytes());
    assertTrue(stats.punchedBytes() > stats.liveBytes(), "the merges freed space that was given back: " + stats);
  }

  /**
   * Indexes the corpus with a commit every 2,000 documents (merges run), force-merges to one
   * segment and commits, then commits two single-document updates: a file deleted after commit
   * {@code g} is referenced by generation {@code g} until {@code g + 2} is durable.
   */
  private static void index(Directory dir) throws IOException {
    int docs = CrashModel.corpusSize();
    IndexWriterConfig config =
        new IndexWriterConfig(new StandardAnalyzer())
            .setMergeScheduler(new SerialMergeScheduler())
            .setMaxBufferedDocs(1000);
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < docs; i++) {
        writer.addDocument(doc(i, i));
        if (i % 2000 == 1999) {
          writer.commit();
        }
      }
      writer.forceMerge(1);
      writer.commit();
      for (int i = 0; i < 2; i++) {
        writer.updateDocument(new Term("id", Integer.toString(i)), doc(i, docs - 1 - i));
        writer.commit();
      }
    }
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(docs, reader.numDocs());
    }
  }

  private static Document doc(int id, int line) {
    Document doc = new Document();
    doc.add(new StringField("id", Integer.toString(id), Field.Store.YES));
    doc.add(new TextField("body", CrashModel.body(line), Field.Store.NO));
    return doc;
  }
}
