package io.regionstore.bench;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.lucene.RegionDirectory;
import io.regionstore.lucene.RemoteRegionDirectory;
import io.regionstore.remote.RemoteStoreStats;
import io.regionstore.testserver.JettyRangeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * What a cold remote reader costs: the packed Europarl index served by Jetty on loopback with a
 * per-request delay (0 and 20 ms, as from an object store), each step on a new, empty cache:
 * opening a DirectoryReader, the first query of each kind, and the whole query mix (bytes fetched
 * as a share of the file). Prints Markdown rows: medians of {@code trials} runs of requests, bytes
 * and milliseconds.
 *
 * <p>Usage: {@code RemoteColdStart [trials] [blockSizeKiB]} (defaults 5 and the cache's default).
 */
public final class RemoteColdStart {
  private static final String[] KINDS = {"term", "boolean AND", "boolean OR", "phrase", "prefix"};

  private RemoteColdStart() {}

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int blockSize = args.length > 1 ? Integer.parseInt(args[1]) * 1024 : CacheOptions.DEFAULT_BLOCK_SIZE;
    CacheOptions options = CacheOptions.builder().blockSize(blockSize).build();
    List<Query> queries = SearchBenchmark.parsedQueries();
    Path folder = Folders.create("bench-remote-cold");
    try {
      PackedEuroparl.build(folder);
      long fileLength = Files.size(folder.resolve(PackedEuroparl.FILE));
      System.out.printf(
          Locale.ROOT,
          "Packed Europarl (17,597 docs): %,d bytes; cache block size %d KiB; medians of %d cold runs.%n%n",
          fileLength, blockSize / 1024, trials);
      System.out.println("| delay | step | requests | KiB fetched | ms |");
      System.out.println("|---:|---|---:|---:|---:|");
      try (JettyRangeServer server = JettyRangeServer.start(folder)) {
        for (int delay : new int[] {0, 20}) {
          server.front().delay(Duration.ofMillis(delay));
          Cold cold = new Cold(server, folder, options);
          print(delay, "open store + DirectoryReader", cold.measure(trials, null));
          for (int k = 0; k < queries.size(); k++) {
            print(delay, "first " + KINDS[k] + " query " + queries.get(k), cold.measure(trials, List.of(queries.get(k))));
          }
          Figures mix = cold.measure(trials, queries);
          print(delay, "open + whole mix", mix);
          System.out.printf(
              Locale.ROOT, "| %d ms | share of the file fetched by open + mix | | %.1f%% | |%n", delay, 100.0 * mix.bytes / fileLength);
        }
      }
    } finally {
      Folders.delete(folder);
    }
  }

  private record Figures(long requests, long bytes, double millis) {}

  private static void print(int delay, String step, Figures f) {
    System.out.printf(
        Locale.ROOT, "| %d ms | %s | %d | %,.0f | %.1f |%n", delay, step, f.requests, f.bytes / 1024.0, f.millis);
  }

  /** Runs steps on a new cache each time. */
  private record Cold(JettyRangeServer server, Path folder, CacheOptions options) {
    /**
     * Medians over {@code trials}: with {@code queries} null, of opening the store and a
     * DirectoryReader; else of running the queries right after such an open (the open not counted).
     */
    Figures measure(int trials, List<Query> queries) throws Exception {
      long[] requests = new long[trials];
      long[] bytes = new long[trials];
      double[] millis = new double[trials];
      for (int t = 0; t < trials; t++) {
        Path cacheFolder = Folders.create("bench-remote-cold-cache");
        try (SlotCache cache = SlotCache.open(cacheFolder, options)) {
          long start = System.nanoTime();
          try (RemoteRegionDirectory dir = RemoteRegionDirectory.open(server.uri(PackedEuroparl.FILE), cache);
              DirectoryReader reader = DirectoryReader.open(dir)) {
            RemoteStoreStats before = dir.stats();
            if (queries != null) {
              start = System.nanoTime();
              IndexSearcher searcher = new IndexSearcher(reader);
              for (Query q : queries) {
                searcher.search(q, 10);
              }
            }
            millis[t] = (System.nanoTime() - start) / 1e6;
            RemoteStoreStats after = dir.stats();
            requests[t] = queries == null ? after.requests() : after.requests() - before.requests();
            bytes[t] = queries == null ? after.bytesFetched() : after.bytesFetched() - before.bytesFetched();
          }
        } finally {
          Folders.delete(cacheFolder);
        }
      }
      return new Figures(median(requests), median(bytes), median(millis));
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
