package io.regionstore.examples;

import io.regionstore.lucene.RegionDirectory;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.tests.analysis.MockAnalyzer;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * An example of running your own {@link LuceneTestCase} on {@link RegionDirectory}: nothing in the
 * test names the directory; {@code -Dtests.directory=io.regionstore.lucene.RegionDirectory} (set
 * by this module's surefire configuration) makes {@link #newDirectory()} return one, wrapped in
 * Lucene's {@code MockDirectoryWrapper}, with random codecs, merge policies and locales as usual.
 */
public class TestLuceneTestCaseOnRegionDirectory extends LuceneTestCase {
  public void testNewDirectoryIsARegionDirectory() throws Exception {
    try (Directory dir = newDirectory()) {
      if (RegionDirectory.class.getName().equals(System.getProperty("tests.directory"))) {
        Directory unwrapped = FilterDirectory.unwrap(dir);
        assertTrue("newDirectory() gave " + unwrapped, unwrapped instanceof RegionDirectory);
      }
    }
  }

  public void testIndexAndSearch() throws Exception {
    int docs = atLeast(200);
    try (Directory dir = newDirectory()) {
      try (RandomIndexWriter writer = new RandomIndexWriter(random(), dir, new MockAnalyzer(random()))) {
        for (int i = 0; i < docs; i++) {
          Document doc = new Document();
          doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
          doc.add(new TextField("body", i % 3 == 0 ? "fizz common" : "common", Field.Store.NO));
          writer.addDocument(doc);
          if (random().nextInt(50) == 0) {
            writer.commit();
          }
        }
        writer.deleteDocuments(new Term("id", "0"));
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader);
        assertEquals(docs - 1, reader.numDocs());
        assertEquals(docs - 1, searcher.count(new TermQuery(new Term("body", "common"))));
        assertEquals((docs + 2) / 3 - 1, searcher.count(new TermQuery(new Term("body", "fizz"))));
      }
    }
  }
}
