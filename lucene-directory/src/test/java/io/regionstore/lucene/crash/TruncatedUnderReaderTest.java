package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.regionstore.lucene.RegionDirectory;
import io.regionstore.lucene.RegionDirectoryConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone truncates the store's data file under a live DirectoryReader. The JVM must not crash,
 * and every later search, stored-field read and integrity check either still works (pages it does
 * not touch) or fails clearly: an IOException (RegionIndexInput turns the fault into a
 * CorruptIndexException saying the data file was truncated) or AlreadyClosedException.
 *
 * <p>What is not possible: HotSpot may deliver the fault of a compiled memory access
 * asynchronously, at a later instruction, outside the input's own methods (here it surfaced in
 * Lucene's {@code DirectReader}); the caller then sees the JDK's {@code InternalError} "a fault
 * occurred in an unsafe memory access operation", exactly as with MMapDirectory. Which of the two
 * a caller gets depends on whether the JIT has compiled the access (in a warm JVM it is often the
 * error every time), so the test accepts that error and no other, and counts both; the store's
 * own translation is asserted deterministically by storage-core's TamperingTest.
 */
class TruncatedUnderReaderTest {
  @TempDir Path dir;

  @Test
  void everyAccessAfterTruncationFailsWithAnIOExceptionOrWorks() throws Exception {
    RegionDirectoryConfig config = RegionDirectoryConfig.builder().chunkSize(1 << 16).maxSizeHint(0).build();
    try (RegionDirectory index = RegionDirectory.open(dir, config)) {
      try (IndexWriter writer = new IndexWriter(index, new IndexWriterConfig(new StandardAnalyzer()))) {
        for (int i = 0; i < 3000; i++) {
          Document doc = new Document();
          doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
          doc.add(new TextField("body", CrashModel.body(i), Field.Store.YES));
          writer.addDocument(doc);
        }
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(index)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertEquals(1, searcher.count(new TermQuery(new Term("id", "42"))));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("regionstore.data").toFile(), "rw")) {
          f.setLength(12_288); // header and meta pages only
        }
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 3000; i += 7) {
          int doc = i;
          attempt(failures, () -> searcher.count(new TermQuery(new Term("id", Integer.toString(doc)))));
          attempt(failures, () -> searcher.storedFields().document(doc));
        }
        for (LeafReaderContext leaf : reader.leaves()) {
          attempt(
              failures,
              () -> {
                leaf.reader().checkIntegrity();
                return null;
              });
        }
        assertTrue(failures.size() > 100, "truncation went unnoticed: " + failures.size() + " failures");
        long translated = 0;
        long jdkErrors = 0;
        for (Throwable e : failures) {
          if (e instanceof InternalError) {
            assertEquals("a fault occurred in an unsafe memory access operation", e.getMessage());
            jdkErrors++;
          } else {
            assertTrue(e instanceof IOException || e instanceof AlreadyClosedException, "unexpected " + e);
            translated++;
          }
        }
        System.out.printf(
            "TruncatedUnderReaderTest: %d accesses failed, %d as IOException/AlreadyClosed, %d as the JDK's InternalError%n",
            failures.size(), translated, jdkErrors);
        for (Throwable e : failures) {
          if (e instanceof org.apache.lucene.index.CorruptIndexException c) {
            assertTrue(c.getMessage().contains("truncated or damaged"), c.getMessage());
          }
        }
      }
    }
  }

  private interface Access {
    Object run() throws IOException;
  }

  private static void attempt(List<Throwable> failures, Access access) {
    try {
      access.run();
    } catch (IOException | RuntimeException | InternalError e) {
      failures.add(e);
    } catch (Error e) {
      fail("an Error escaped: " + e, e);
    }
  }
}
