package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
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
 * Raw IndexOutput writes of a {@value #MIB} MiB file in the pattern of Lucene's codecs: bytes,
 * vInts, ints, longs and short byte runs (operations are MiB, so the score is MiB/s). The file is
 * written to the page cache and deleted; nothing is synced. It measures the write path's copies
 * and checksums, not the disk.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IndexOutputBenchmark {
  static final int MIB = 16;

  @Param({"region", "mmap", "niofs"})
  public String dir;

  private Path path;
  private Directory directory;
  private final byte[] runs = new byte[1 << 16];
  private final int[] values = new int[1 << 12];
  private int file;

  @Setup(Level.Trial)
  public void open() throws IOException {
    path = Folders.create("bench-output");
    directory = DirectoryKind.of(dir).open(path);
    Random rnd = new Random(42);
    rnd.nextBytes(runs);
    for (int i = 0; i < values.length; i++) {
      values[i] = rnd.nextInt(1 << rnd.nextInt(31));
    }
  }

  @Benchmark
  @OperationsPerInvocation(MIB)
  public long write() throws IOException {
    String name = "out" + file++;
    long written;
    try (IndexOutput out = directory.createOutput(name, IOContext.DEFAULT)) {
      int i = 0;
      while (out.getFilePointer() < (long) MIB << 20) {
        int v = values[i++ & (values.length - 1)];
        out.writeByte((byte) v);
        out.writeVInt(v);
        out.writeInt(v);
        out.writeLong(v * 31L);
        int run = v & 127;
        out.writeBytes(runs, (v >>> 8) & (runs.length - 256), run);
      }
      written = out.getFilePointer();
    }
    directory.deleteFile(name);
    return written;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    directory.close();
    Folders.delete(path);
  }
}
