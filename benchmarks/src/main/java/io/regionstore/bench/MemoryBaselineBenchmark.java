package io.regionstore.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The memory limit for {@link IndexInputBenchmark}: the same sequential 1 MiB copies and random
 * long reads from a plain native memory segment of the same size, with no directory in between.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-Xmx2g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryBaselineBenchmark {
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

  private Arena arena;
  private MemorySegment segment;
  private final byte[] block = new byte[1 << 20];
  private final long[] positions = new long[IndexInputBenchmark.RANDOM_READS];

  @Setup(Level.Trial)
  public void fill() {
    arena = Arena.ofShared();
    long size = (long) IndexInputBenchmark.MIB << 20;
    segment = arena.allocate(size, 4096);
    Random rnd = new Random(42);
    for (long at = 0; at < size; at += block.length) {
      rnd.nextBytes(block);
      MemorySegment.copy(block, 0, segment, ValueLayout.JAVA_BYTE, at, block.length);
    }
    for (int i = 0; i < positions.length; i++) {
      positions[i] = (long) (rnd.nextDouble() * (size - Long.BYTES));
    }
  }

  @Benchmark
  @OperationsPerInvocation(IndexInputBenchmark.MIB)
  public int sequentialCopy() {
    int sum = 0;
    for (int i = 0; i < IndexInputBenchmark.MIB; i++) {
      MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, (long) i << 20, block, 0, block.length);
      sum += block[i];
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(IndexInputBenchmark.RANDOM_READS)
  public long randomLong() {
    long sum = 0;
    for (long p : positions) {
      sum += segment.get(LONG, p);
    }
    return sum;
  }

  @TearDown(Level.Trial)
  public void free() {
    arena.close();
  }
}
