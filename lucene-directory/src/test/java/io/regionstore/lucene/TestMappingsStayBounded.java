package io.regionstore.lucene;

import io.regionstore.RegionStore;
import io.regionstore.StoreStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.tests.analysis.MockAnalyzer;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.Constants;
import org.apache.lucene.util.Unwrappable;

/**
 * An index of more than 1,000 files, all open in one {@link DirectoryReader}, costs as many memory
 * mappings as the data file has chunks touched, not one per file: counted in {@code
 * /proc/self/maps}, which lists every mapping of the process.
 */
public class TestMappingsStayBounded extends LuceneTestCase {
  private static final String DATA_FILE = RegionStore.STORE_FILES.get(0);

  public void testThousandsOfFilesOneMappingPerChunk() throws IOException {
    assumeTrue("needs /proc/self/maps", Constants.LINUX);
    doTest(RegionDirectoryConfig.defaults(), 1);
  }

  /** With 64 KiB chunks the files spread over many chunks: still bounded by chunks, not files. */
  public void testSmallChunksBoundedByChunkCount() throws IOException {
    assumeTrue("needs /proc/self/maps", Constants.LINUX);
    // no size hints: a flush's estimate is its whole segment, which would have every file reserve
    // (and so the file grow by) a whole 64 KiB chunk while it is written
    doTest(
        RegionDirectoryConfig.builder()
            .chunkSize(1 << 16)
            .firstExtentSize(4096)
            .maxSizeHint(0)
            .build(),
        -1);
  }

  /** @param expectedMappings the exact mapping count, or -1 for "at most the chunks mapped" */
  private void doTest(RegionDirectoryConfig config, int expectedMappings) throws IOException {
    Path path = createTempDir();
    String dataFile =
        ((Path) Unwrappable.unwrapAll(path)).toRealPath().resolve(DATA_FILE).toString();
    int segments = 130;
    try (RegionDirectory dir = RegionDirectory.open(path, config)) {
      IndexWriterConfig iwc =
          new IndexWriterConfig(new MockAnalyzer(random()))
              .setMergePolicy(NoMergePolicy.INSTANCE)
              .setUseCompoundFile(false)
              .setMaxBufferedDocs(Integer.MAX_VALUE)
              .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH);
      try (IndexWriter writer = new IndexWriter(dir, iwc)) {
        for (int s = 0; s < segments; s++) {
          for (int d = 0; d < 3; d++) {
            Document doc = new Document();
            doc.add(new StringField("id", s + "-" + d, Field.Store.YES));
            doc.add(new TextField("body", "common text " + s, Field.Store.NO));
            writer.addDocument(doc);
          }
          writer.flush();
        }
        writer.commit();
      }
      int files = dir.listAll().length;
      assertTrue("index files: " + files, files >= 1000);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(segments, reader.leaves().size());
        assertEquals(3 * segments, reader.numDocs());
        IndexSearcher searcher = new IndexSearcher(reader);
        assertEquals(3 * segments, searcher.count(new TermQuery(new Term("body", "common"))));
        StoreStats stats = dir.stats();
        assertTrue("files open at once: " + stats.openReaders(), stats.openReaders() >= 500);
        long mappings = mappingsOf(dataFile);
        long chunks = stats.fileSize() / stats.chunkSize();
        if (expectedMappings >= 0) {
          assertEquals(expectedMappings, mappings);
          assertEquals(expectedMappings, stats.mappedChunks());
        } else {
          // adjacent chunk mappings may be merged by the kernel, never split
          assertTrue(mappings + " mappings, " + stats.mappedChunks() + " chunks mapped",
              mappings >= 1 && mappings <= stats.mappedChunks());
          assertTrue(stats.mappedChunks() + " of " + chunks, stats.mappedChunks() <= chunks);
          assertTrue("mappings " + mappings + " vs files open " + stats.openReaders(),
              mappings < stats.openReaders() / 4);
        }
      }
    }
    assertEquals("closing the directory unmaps everything", 0, mappingsOf(dataFile));
  }

  private static long mappingsOf(String file) throws IOException {
    try (var lines = Files.lines(Paths.get("/proc/self/maps"))) {
      return lines.filter(line -> line.endsWith(" " + file)).count();
    }
  }
}
