package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
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
 * Latency of opening (and closing) a {@code DirectoryReader} on a committed index of at least
 * {@code files} files ({@link ManyFileIndex}: about 11 files per segment), where what a directory
 * pays per file (open, map, close, unmap) adds up.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ManyFilesBenchmark {
  @Param({"region", "mmap", "niofs"})
  public String dir;

  @Param({"1000"})
  public int files;

  private Path path;
  private Directory directory;

  @Setup(Level.Trial)
  public void buildIndex() throws IOException {
    Corpus corpus = Corpus.load();
    path = Folders.create("bench-many-files");
    directory = DirectoryKind.of(dir).open(path);
    try (IndexWriter writer = new IndexWriter(directory, ManyFileIndex.config())) {
      ManyFileIndex.fill(writer, directory, corpus, files, 0);
    }
  }

  @Benchmark
  public int openReader() throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      return reader.numDocs();
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    directory.close();
    Folders.delete(path);
  }
}
