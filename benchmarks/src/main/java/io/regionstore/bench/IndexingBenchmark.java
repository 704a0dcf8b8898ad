package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Indexing throughput in documents per second: a fresh index of {@value #DOCS} Europarl documents
 * per invocation, committed once at the end (bulk) or every 200 documents (commit-heavy, where
 * the cost of fsyncs shows).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IndexingBenchmark {
  static final int DOCS = 2000;

  @Param({"region", "mmap", "niofs"})
  public String dir;

  private Corpus corpus;
  private Path path;
  private Directory directory;

  @Setup(Level.Trial)
  public void loadCorpus() throws IOException {
    corpus = Corpus.load();
  }

  @Setup(Level.Invocation)
  public void freshDirectory() throws IOException {
    path = Folders.create("bench-indexing");
    directory = openDirectory(path);
  }

  /** Opens the directory under test on {@code folder} (a subclass may put it on another disk). */
  protected Directory openDirectory(Path folder) throws IOException {
    return DirectoryKind.of(dir).open(folder);
  }

  @TearDown(Level.Invocation)
  public void removeDirectory() throws IOException {
    directory.close();
    Folders.delete(path);
  }

  @Benchmark
  @OperationsPerInvocation(DOCS)
  public int bulkIndexing() throws IOException {
    return index(DOCS);
  }

  @Benchmark
  @OperationsPerInvocation(DOCS)
  public int commitEvery200Docs() throws IOException {
    return index(200);
  }

  private int index(int commitEvery) throws IOException {
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
      for (int i = 0; i < DOCS; i++) {
        writer.addDocument(corpus.doc(i));
        if (i % commitEvery == commitEvery - 1) {
          writer.commit();
        }
      }
      return writer.getDocStats().numDocs;
    }
  }
}
