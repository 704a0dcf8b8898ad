package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.pack.PackOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
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
  void theSmallInnerFilesOfACompoundFileAreHotWhole() throws IOException {
    try (RegionDirectory d = new RegionDirectory(dir)) {
      try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()).setUseCompoundFile(true))) {
        for (int i = 0; i < 200; i++) {
          Document doc = new Document();
          doc.add(new StringField("id", "doc" + i, Field.Store.YES));
          doc.add(new TextField("body", "text number " + i + " of two hundred", Field.Store.NO));
          w.addDocument(doc);
        }
      }
      String cfs = "_0.cfs";
      List<long[]> inner = innerFiles(d, "_0.cfe");
      assertTrue(inner.size() > 5, "inner files: " + inner.size());
      PackOptions plan = LucenePackPlan.record(d);
      PackOptions readsOnly = LucenePackPlan.record(d, 0);
      int notReadAtOpen = 0;
      for (long[] f : inner) {
        assertTrue(covered(plan, cfs, f[0], f[1]), "inner file at " + f[0] + " of " + f[1] + " bytes");
        notReadAtOpen += covered(readsOnly, cfs, f[0], f[1]) ? 0 : 1;
      }
      assertTrue(notReadAtOpen > 0, "some inner file is only read by queries (postings, norms)");
    }
  }

  /** (offset, length) of each inner file of a compound file, from its entries file. */
  private static List<long[]> innerFiles(Directory d, String entries) throws IOException {
    List<long[]> out = new ArrayList<>();
    try (IndexInput in = d.openInput(entries, IOContext.READONCE)) {
      CodecUtil.readIndexHeader(in);
      for (int n = in.readVInt(); n > 0; n--) {
        in.readString();
        out.add(new long[] {in.readLong(), in.readLong()});
      }
    }
    return out;
  }

  /** Whether the plan's hot ranges of {@code region} cover [offset, offset + length). */
  private static boolean covered(PackOptions plan, String region, long offset, long length) {
    List<PackOptions.Span> spans = new ArrayList<>();
    for (PackOptions.Span s : plan.hotRanges()) {
      if (s.region().equals(region)) {
        spans.add(s);
      }
    }
    spans.sort(java.util.Comparator.comparingLong(PackOptions.Span::offset));
    long reached = offset;
    for (PackOptions.Span s : spans) {
      if (s.offset() <= reached) {
        reached = Math.max(reached, s.offset() + s.length());
      }
    }
    return reached >= offset + length;
  }

  @Test
  void aStoreWithoutACommitHasNoPlan() throws IOException {
    try (RegionDirectory d = new RegionDirectory(dir)) {
      assertThrows(IndexNotFoundException.class, () -> LucenePackPlan.record(d));
      assertThrows(IndexNotFoundException.class, () -> d.pack(dir.resolveSibling(dir.getFileName() + ".pack")));
    }
  }
}
