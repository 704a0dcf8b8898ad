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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Latency of {@code IndexWriter.commit()} after 200 new documents (added outside the timing),
 * sampled per commit: JMH reports the mean and the percentiles (p50, p99, ...).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CommitBenchmark {
  @Param({"region", "mmap", "niofs"})
  public String dir;

  private Corpus corpus;
  private Path path;
  private Directory directory;
  private IndexWriter writer;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    corpus = Corpus.load();
    path = Folders.create("bench-commit");
    directory = openDirectory(path);
    writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()));
  }

  @Setup(Level.Invocation)
  public void add200() throws IOException {
    for (int i = 0; i < 200; i++) {
      writer.addDocument(corpus.doc(next++));
    }
  }

  @Benchmark
  public long commit() throws IOException {
    return writer.commit();
  }

  /** Opens the directory under test on {@code folder} (a subclass may put it on another disk). */
  protected Directory openDirectory(Path folder) throws IOException {
    return DirectoryKind.of(dir).open(folder);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    writer.close();
    directory.close();
    Folders.delete(path);
  }
}
