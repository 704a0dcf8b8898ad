package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
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
 * Search throughput over the whole Europarl corpus in about 18 segments: one operation runs a
 * fixed mix of a term, a boolean AND, a boolean OR, a phrase and a prefix query, each for the top
 * 10 hits.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SearchBenchmark {
  /** The query mix, in classic query parser syntax over {@code body}. */
  static final List<String> QUERIES =
      List.of("european", "+parliament +commission", "council budget", "\"human rights\"", "presid*");

  @Param({"region", "mmap", "niofs"})
  public String dir;

  private Path path;
  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  private final List<Query> queries = new ArrayList<>();

  @Setup(Level.Trial)
  public void buildIndex() throws IOException, ParseException {
    Corpus corpus = Corpus.load();
    path = Folders.create("bench-search");
    directory = DirectoryKind.of(dir).open(path);
    IndexWriterConfig config =
        new IndexWriterConfig(new StandardAnalyzer()).setMergePolicy(NoMergePolicy.INSTANCE).setMaxBufferedDocs(1000);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      for (int i = 0; i < corpus.size(); i++) {
        writer.addDocument(corpus.doc(i));
      }
    }
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    QueryParser parser = new QueryParser("body", new StandardAnalyzer());
    for (String q : QUERIES) {
      queries.add(parser.parse(q));
    }
  }

  @Benchmark
  public long queryMix() throws IOException {
    long hits = 0;
    for (Query q : queries) {
      hits += searcher.search(q, 10).totalHits.value();
    }
    return hits;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    reader.close();
    directory.close();
    Folders.delete(path);
  }
}
