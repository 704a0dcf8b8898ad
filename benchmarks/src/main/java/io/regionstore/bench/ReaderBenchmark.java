package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
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
 * Latency of opening a {@code DirectoryReader} on a committed index of 5,000 documents in about 10
 * segments, and of a near-real-time reopen after 20 new documents (added outside the timing), which
 * flushes a new segment and opens its files.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReaderBenchmark {
  @Param({"region", "mmap", "niofs"})
  public String dir;

  private Corpus corpus;
  private Path path;
  private Directory directory;
  private IndexWriter writer;
  private DirectoryReader nrt;
  private int next;

  @Setup(Level.Trial)
  public void buildIndex() throws IOException {
    corpus = Corpus.load();
    path = Folders.create("bench-reader");
    directory = DirectoryKind.of(dir).open(path);
    writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()).setMaxBufferedDocs(500));
    for (next = 0; next < 5000; next++) {
      writer.addDocument(corpus.doc(next));
    }
    writer.commit();
    nrt = DirectoryReader.open(writer);
  }

  @Setup(Level.Invocation)
  public void add20() throws IOException {
    for (int i = 0; i < 20; i++) {
      writer.addDocument(corpus.doc(next++));
    }
  }

  @Benchmark
  public int openReader() throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      return reader.numDocs();
    }
  }

  @Benchmark
  public int nrtReopen() throws IOException {
    DirectoryReader newer = DirectoryReader.openIfChanged(nrt, writer);
    if (newer != null) {
      nrt.close();
      nrt = newer;
    }
    return nrt.numDocs();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    nrt.close();
    writer.close();
    directory.close();
    Folders.delete(path);
  }
}
