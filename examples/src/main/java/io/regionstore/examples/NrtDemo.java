package io.regionstore.examples;

import io.regionstore.StoreStats;
import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Programs;
import io.regionstore.examples.support.Sizes;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;

/**
 * Near-real-time search on a {@link RegionDirectory}: adds the Europarl corpus in batches and,
 * after each, reopens the reader from the writer ({@code DirectoryReader.openIfChanged(reader,
 * writer)}), printing how many documents it sees and how many fsyncs that took (none: NRT readers
 * search flushed segments without a commit). Commits once at the end.
 *
 * <pre>NrtDemo [&lt;folder&gt;] [--docs N] [--batch N]</pre>
 *
 * Bounded: {@code ceil(docs / batch)} reopens. Exit codes as {@link ExitCodes}. Not meant to be
 * used from several threads.
 */
public final class NrtDemo {
  static final String NAME = "NrtDemo";
  static final String DEFAULT_FOLDER = "target/nrt-index";
  static final int DEFAULT_DOCS = 2_000;
  static final int DEFAULT_BATCH = 250;

  private static final String USAGE =
      """
      Usage: NrtDemo [<folder>] [--docs N] [--batch N]

      Adds the first N documents of the Europarl corpus to a new index in a RegionDirectory in
      <folder> (default %s; an index there is replaced), reopening a near-real-time
      reader after every batch, then commits once.

      Options:
        --docs N    documents to add (default %d)
        --batch N   documents per reopen (default %d)
        --debug     print stack traces of errors
        --help      this text

      %s"""
          .formatted(DEFAULT_FOLDER, DEFAULT_DOCS, DEFAULT_BATCH, ExitCodes.HELP);

  private NrtDemo() {}

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
          Arguments a = Arguments.parse(args, Set.of(), Set.of("--docs", "--batch"));
          if (a.help()) {
            o.print(USAGE);
            return ExitCodes.OK;
          }
          a.expectPositionals(0, 1, "[<folder>]");
          int docs = (int) a.number("--docs", DEFAULT_DOCS, 1, Integer.MAX_VALUE);
          int batch = (int) a.number("--batch", DEFAULT_BATCH, 1, Integer.MAX_VALUE);
          run(a.path(0, Path.of(DEFAULT_FOLDER)), docs, batch, o);
          return ExitCodes.OK;
        });
  }

  private static void run(Path folder, int docs, int batch, PrintStream out) throws IOException {
    out.println("Near-real-time indexing into a RegionDirectory at " + folder.toAbsolutePath());
    try (RegionDirectory dir = new RegionDirectory(folder);
        IndexWriter writer = DemoIndex.newWriter(dir);
        Corpus corpus = Corpus.open(docs)) {
      DirectoryReader reader = DirectoryReader.open(writer);
      try {
        int total = 0;
        for (int reopen = 1; ; reopen++) {
          int added = DemoIndex.add(writer, corpus, batch);
          if (added == 0) {
            break;
          }
          total += added;
          long start = System.nanoTime();
          DirectoryReader newer = DirectoryReader.openIfChanged(reader, writer);
          long micros = (System.nanoTime() - start) / 1_000;
          if (newer != null) {
            reader.close();
            reader = newer;
          }
          out.printf(
              Locale.ROOT,
              "reopen %d: %s docs visible (+%s), %d segments, %d fsyncs so far, %.1f ms%n",
              reopen,
              Sizes.count(reader.numDocs()),
              Sizes.count(added),
              reader.leaves().size(),
              fsyncs(dir.stats()),
              micros / 1000.0);
        }
        writer.commit();
        out.printf(
            Locale.ROOT,
            "commit: %s docs durable, %d fsyncs so far%n",
            Sizes.count(total),
            fsyncs(dir.stats()));
      } finally {
        reader.close();
      }
    }
  }

  private static long fsyncs(StoreStats stats) {
    return stats.catalogSyncs() + stats.dataSyncs();
  }
}
