package io.regionstore.examples;

import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Programs;
import io.regionstore.examples.support.Sizes;
import io.regionstore.lucene.RegionDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * The searcher process of {@link ReadOnlySearcherDemo}: opens an index with {@link
 * RegionDirectory#openReadOnly} while another process writes it, and answers commands read from
 * standard input, one line each:
 *
 * <ul>
 *   <li>{@value #LOOK}: reopen if the writer committed since ({@code DirectoryReader.openIfChanged})
 *       and print {@code searcher: sees N docs (reopened|unchanged), M match body:commission}
 *   <li>{@value #QUIT} (or end of input, when the writer process is gone): close and exit 0
 * </ul>
 *
 * <pre>ReadOnlySearcher &lt;folder&gt;</pre>
 *
 * Its first line is {@code searcher: opened ... read-only; sees N docs, ...}. Every line it prints
 * starts with {@value #PREFIX}. Exit codes as {@link ExitCodes}. Single-threaded.
 */
public final class ReadOnlySearcher {
  static final String PREFIX = "searcher: ";
  static final String LOOK = "look";
  static final String QUIT = "quit";
  static final Term PROBE = new Term("body", "commission");

  private ReadOnlySearcher() {}

  /** Runs the searcher and exits with its exit code. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.exit(Programs.run("ReadOnlySearcher", args, out, System.err, (o, e) -> serve(args, o)));
  }

  private static int serve(String[] args, PrintStream out) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ReadOnlySearcher <folder>");
    }
    Path folder = Path.of(args[0]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (RegionDirectory dir = RegionDirectory.openReadOnly(folder)) {
      DirectoryReader reader = DirectoryReader.open(dir);
      try {
        out.println(PREFIX + "opened " + folder + " read-only; " + describe(reader, ""));
        for (String line = in.readLine(); line != null && !line.equals(QUIT); line = in.readLine()) {
          if (!line.equals(LOOK)) {
            throw new IllegalArgumentException("unknown command \"" + line + "\"");
          }
          DirectoryReader newer = DirectoryReader.openIfChanged(reader);
          if (newer != null) {
            reader.close();
            reader = newer;
          }
          out.println(PREFIX + describe(reader, newer != null ? " (reopened)" : " (unchanged)"));
        }
      } finally {
        reader.close();
      }
    }
    return ExitCodes.OK;
  }

  /** @param change what the last look did, e.g. {@code " (reopened)"}; empty at open */
  private static String describe(DirectoryReader reader, String change) throws IOException {
    int matches = new IndexSearcher(reader).count(new TermQuery(PROBE));
    return "sees "
        + Sizes.count(reader.numDocs())
        + " docs"
        + change
        + ", "
        + Sizes.count(matches)
        + " match "
        + PROBE;
  }
}
