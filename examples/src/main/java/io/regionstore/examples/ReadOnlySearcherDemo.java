package io.regionstore.examples;

import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Programs;
import io.regionstore.examples.support.Sizes;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.IndexWriter;

/**
 * A writer process and a read-only searcher process side by side on one index. This process
 * indexes the Europarl corpus in batches; a {@link ReadOnlySearcher} child JVM has the same index
 * open with {@link RegionDirectory#openReadOnly} and, asked after every step, reopens with {@code
 * DirectoryReader.openIfChanged}: it sees each commit, and never documents that were only flushed.
 *
 * <pre>ReadOnlySearcherDemo [&lt;folder&gt;] [--docs N] [--commits N] [--timeout SECONDS]</pre>
 *
 * Bounded: the whole exchange must end within the timeout, and the child is killed in any case.
 * Exit codes as {@link ExitCodes}. Not meant to be used from several threads.
 */
public final class ReadOnlySearcherDemo {
  static final String NAME = "ReadOnlySearcherDemo";
  static final String DEFAULT_FOLDER = "target/shared-index";
  static final int DEFAULT_DOCS = 1_000;
  static final int DEFAULT_COMMITS = 4;
  static final int DEFAULT_TIMEOUT_SECONDS = 120;

  private static final String USAGE =
      """
      Usage: ReadOnlySearcherDemo [<folder>] [--docs N] [--commits N] [--timeout SECONDS]

      Indexes the first N documents of the Europarl corpus into a new index in a RegionDirectory
      in <folder> (default %s; an index there is replaced) in --commits batches, while
      a second JVM searches it read-only and reopens after every step: it sees each commit and
      never what was only flushed.

      Options:
        --docs N             documents to index (default %d)
        --commits N          commits, one per batch (default %d)
        --timeout SECONDS    bound on the whole exchange (default %d)
        --debug              print stack traces of errors
        --help               this text

      %s"""
          .formatted(
              DEFAULT_FOLDER, DEFAULT_DOCS, DEFAULT_COMMITS, DEFAULT_TIMEOUT_SECONDS, ExitCodes.HELP);

  private ReadOnlySearcherDemo() {}

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
          Arguments a =
              Arguments.parse(args, Set.of(), Set.of("--docs", "--commits", "--timeout"));
          if (a.help()) {
            o.print(USAGE);
            return ExitCodes.OK;
          }
          a.expectPositionals(0, 1, "[<folder>]");
          int docs = (int) a.number("--docs", DEFAULT_DOCS, 1, Integer.MAX_VALUE);
          int commits = (int) a.number("--commits", DEFAULT_COMMITS, 1, 1_000);
          long timeout = a.number("--timeout", DEFAULT_TIMEOUT_SECONDS, 1, 86_400);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
          return run(a.path(0, Path.of(DEFAULT_FOLDER)), docs, commits, deadline, o);
        });
  }

  private static int run(Path folder, int docs, int commits, long deadline, PrintStream out)
      throws IOException, InterruptedException {
    out.println("Writer (this process) and read-only searcher (child JVM) on " + folder.toAbsolutePath());
    int batch = (docs + commits - 1) / commits;
    try (RegionDirectory dir = new RegionDirectory(folder);
        IndexWriter writer = DemoIndex.newWriter(dir);
        Corpus corpus = Corpus.open(docs)) {
      int committed = DemoIndex.add(writer, corpus, batch);
      writer.commit();
      out.println("writer: committed " + Sizes.count(committed) + " docs");
      try (SearcherProcess searcher = SearcherProcess.start(folder, out)) {
        searcher.ask(null, deadline); // its first line: what it sees when opened
        while (true) {
          int added = DemoIndex.add(writer, corpus, batch);
          if (added == 0) {
            break;
          }
          writer.flush(); // new segment files in the store, but no commit names them yet
          out.println("writer: added " + Sizes.count(added) + " docs, flushed, not committed");
          searcher.ask(ReadOnlySearcher.LOOK, deadline);
          writer.commit();
          committed += added;
          out.println("writer: committed " + Sizes.count(committed) + " docs");
          searcher.ask(ReadOnlySearcher.LOOK, deadline);
        }
        int exit = searcher.quit();
        out.println("searcher process exited with code " + exit);
        return exit == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
      }
    }
  }
}
