package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.pack.PackOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestLucenePackPlan {
  @TempDir Path dir;

  @Test
  void smallFilesAreHotWholeAndEveryReadAtOpenIsARange() throws IOException {
    try (RegionDirectory d = new RegionDirectory(dir)) {
      try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()).setUseCompoundFile(false))) {
        for (int i = 0; i < 100; i++) {
          Document doc = new Document();
          doc.add(new StringField("id", "doc" + i, Field.Store.YES));
          w.addDocument(doc);
        }
      }
      Set<String> small = new TreeSet<>();
      for (String f : d.listAll()) {
        if (d.fileLength(f) <= LucenePackPlan.SMALL_FILE_LENGTH) {
          small.add(f);
        }
      }
      PackOptions plan = LucenePackPlan.record(d);
      assertEquals(small, new TreeSet<>(plan.hotRegions()));
      assertTrue(plan.hotRegions().stream().anyMatch(f -> f.startsWith("segments_")), plan.hotRegions().toString());
      assertTrue(plan.hotRanges().stream().anyMatch(s -> s.region().endsWith(".si")), plan.hotRanges().toString());
      for (PackOptions.Span s : plan.hotRanges()) {
        assertTrue(s.length() > 0 && s.offset() + s.length() <= d.fileLength(s.region()), s.toString());
      }
      assertTrue(LucenePackPlan.record(d, 0).hotRegions().isEmpty());
      assertEquals(plan.hotRanges(), LucenePackPlan.record(d, 0).hotRanges());
    }
  }

  @Test
  void aStoreWithoutACommitHasNoPlan() throws IOException {
    try (RegionDirectory d = new RegionDirectory(dir)) {
      assertThrows(IndexNotFoundException.class, () -> LucenePackPlan.record(d));
      assertThrows(IndexNotFoundException.class, () -> d.pack(dir.resolveSibling(dir.getFileName() + ".pack")));
    }
  }
}
