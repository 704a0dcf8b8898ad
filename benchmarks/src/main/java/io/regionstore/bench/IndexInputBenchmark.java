package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.RandomAccessInput;
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
 * Raw IndexInput reads of one {@value #MIB} MiB file (in the page cache): sequential reads of 1
 * MiB blocks (operations are MiB, so the score is MiB/s) and random {@code readLong}s through a
 * random-access slice (reads/s). {@link MemoryBaselineBenchmark} measures the same patterns on a
 * plain memory segment, the limit any directory can reach.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IndexInputBenchmark {
  static final int MIB = 64;
  static final int RANDOM_READS = 4096;

  @Param({"region", "mmap", "niofs"})
  public String dir;

  private Path path;
  private Directory directory;
  private IndexInput input;
  private RandomAccessInput random;
  private final byte[] block = new byte[1 << 20];
  private final long[] positions = new long[RANDOM_READS];

  @Setup(Level.Trial)
  public void writeFile() throws IOException {
    path = Folders.create("bench-input");
    directory = DirectoryKind.of(dir).open(path);
    Random rnd = new Random(42);
    try (IndexOutput out = directory.createOutput("data.bin", IOContext.DEFAULT)) {
      for (int i = 0; i < MIB; i++) {
        rnd.nextBytes(block);
        out.writeBytes(block, block.length);
      }
    }
    input = directory.openInput("data.bin", IOContext.DEFAULT);
    random = input.randomAccessSlice(0, input.length());
    for (int i = 0; i < RANDOM_READS; i++) {
      positions[i] = (long) (rnd.nextDouble() * (input.length() - Long.BYTES));
    }
  }

  @Benchmark
  @OperationsPerInvocation(MIB)
  public int sequentialRead() throws IOException {
    input.seek(0);
    int sum = 0;
    for (int i = 0; i < MIB; i++) {
      input.readBytes(block, 0, block.length);
      sum += block[i];
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(RANDOM_READS)
  public long randomReadLong() throws IOException {
    long sum = 0;
    for (long p : positions) {
      sum += random.readLong(p);
    }
    return sum;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    input.close();
    directory.close();
    Folders.delete(path);
  }
}
