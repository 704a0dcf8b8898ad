package io.regionstore.bench;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.lucene.RegionDirectory;
import io.regionstore.lucene.RemoteRegionDirectory;
import io.regionstore.testserver.JettyRangeServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Warm search throughput on the packed Europarl index read remotely (served by Jetty on loopback,
 * each request delayed by 0 or 20 ms, as from an object store) against the same index opened
 * locally with {@link RegionDirectory}: the query mix of {@link SearchBenchmark}, after one pass
 * of it has filled the cache. One JVM per parameter value (a fork), so neither's JIT profile slows
 * the other.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RemoteSearchBenchmark {
  /**
   * {@code local}: the index folder through RegionDirectory; {@code remote-<n>ms}: the packed file
   * over HTTP, Jetty delaying each request by n ms.
   */
  @Param({"local", "remote-0ms", "remote-20ms"})
  public String source;

  private Path folder;
  private Path cacheFolder;
  private JettyRangeServer server;
  private SlotCache cache;
  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  private final List<Query> queries = new ArrayList<>();

  @Setup(Level.Trial)
  public void open() throws Exception {
    folder = Folders.create("bench-remote");
    PackedEuroparl.build(folder);
    if (source.equals("local")) {
      directory = RegionDirectory.openReadOnly(folder.resolve("index"));
    } else {
      server = JettyRangeServer.start(folder);
      server.front().delay(Duration.ofMillis(delayMs(source)));
      cacheFolder = Folders.create("bench-remote-cache");
      cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
      directory = RemoteRegionDirectory.open(server.uri(PackedEuroparl.FILE), cache);
    }
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    queries.addAll(SearchBenchmark.parsedQueries());
    queryMix(); // fills the cache: what follows is the warm figure
  }

  @Benchmark
  public long queryMix() throws IOException {
    return SearchBenchmark.runMix(searcher, queries);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    reader.close();
    directory.close();
    if (cache != null) {
      cache.close();
      server.close();
      Folders.delete(cacheFolder);
    }
    Folders.delete(folder);
  }

  /** The delay of a {@code remote-<n>ms} source. */
  private static int delayMs(String source) {
    return Integer.parseInt(source.substring("remote-".length(), source.length() - 2));
  }
}
