package io.regionstore.examples;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.CacheStats;
import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Programs;
import io.regionstore.examples.support.Sizes;
import io.regionstore.lucene.RegionDirectory;
import io.regionstore.lucene.RemoteRegionDirectory;
import io.regionstore.remote.RemoteStoreStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.IndexSearcher;

/**
 * Searches a packed index where it lies (an HTTP(S) URL, or a packed file) with {@link
 * RemoteRegionDirectory#open}: the sample queries of {@link SearchDemo}, their top hits, and what it
 * cost (requests, bytes fetched, cache hits and misses).
 *
 * <pre>RemoteSearchDemo &lt;url or packed file&gt; [--cache &lt;folder&gt;] [--cache-mib N]</pre>
 *
 * Exit codes as {@link ExitCodes}. Not meant to be used from several threads.
 */
public final class RemoteSearchDemo {
  static final String NAME = "RemoteSearchDemo";
  static final String DEFAULT_CACHE = "target/remote-cache";

  private static final String USAGE =
      """
      Usage: RemoteSearchDemo <url or packed file> [--cache <folder>] [--cache-mib N]

      Opens a packed index (made by `regionstore pack`) where it lies: an http(s) URL served by
      any static server that honours Range requests, or a local packed file. Runs the sample
      queries of SearchDemo, prints the top hits, then the requests and bytes it fetched and the
      slot cache's hits and misses. Only the blocks the queries touch are fetched.

      Options:
        --cache <folder>  the slot cache's folder (default %s; kept, so a second run is warm)
        --cache-mib N     the cache's maximum size in MiB (default 1024)
        --debug           print stack traces of errors
        --help            this text

      %s"""
          .formatted(DEFAULT_CACHE, ExitCodes.HELP);

  private final PrintStream out;

  private RemoteSearchDemo(PrintStream out) {
    this.out = out;
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
          Arguments a = Arguments.parse(args, Set.of(), Set.of("--cache", "--cache-mib"));
          if (a.help()) {
            o.print(USAGE);
            return ExitCodes.OK;
          }
          a.expectPositionals(1, 1, "<url or packed file>");
          long mib = a.number("--cache-mib", 1024, 1, 1 << 20);
          Path cache = Path.of(a.option("--cache", DEFAULT_CACHE));
          new RemoteSearchDemo(o).run(location(a.positionals().getFirst()), cache, mib << 20);
          return ExitCodes.OK;
        });
  }

  /** An http(s) URL as it is; anything else is a path to a packed file. */
  private static URI location(String argument) {
    String lower = argument.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://")
        ? URI.create(argument)
        : Path.of(argument).toAbsolutePath().toUri();
  }

  private void run(URI location, Path cacheFolder, long cacheBytes) throws IOException, ParseException {
    CacheOptions options =
        CacheOptions.builder()
            .maxCapacity(cacheBytes)
            .initialCapacity(Math.min(cacheBytes, CacheOptions.DEFAULT_INITIAL_CAPACITY))
            .build();
    long start = System.nanoTime();
    try (RemoteRegionDirectory dir = RemoteRegionDirectory.open(location, cacheFolder, options);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      RemoteStoreStats opened = dir.stats();
      out.printf(
          Locale.ROOT,
          "opened %s (%s, %s documents) in %.0f ms: %d requests, %s fetched%n",
          opened.source(),
          Sizes.human(opened.fileLength()),
          Sizes.count(reader.numDocs()),
          (System.nanoTime() - start) / 1e6,
          opened.requests(),
          Sizes.human(opened.bytesFetched()));
      SearchDemo.printHits(new IndexSearcher(reader), out);
      RemoteStoreStats s = dir.stats();
      CacheStats c = s.cache();
      out.println();
      out.printf(
          Locale.ROOT,
          "requests: %d, fetched: %s (%.1f%% of the file)%n",
          s.requests(),
          Sizes.human(s.bytesFetched()),
          100.0 * s.bytesFetched() / s.fileLength());
      out.printf(
          Locale.ROOT,
          "cache: %d hits, %d misses, %d evictions, %d of %d slots of %s used%n",
          c.hits(),
          c.misses(),
          c.evictions(),
          c.slotsUsed(),
          c.maxSlots(),
          Sizes.human(c.blockSize()));
    }
  }
}
