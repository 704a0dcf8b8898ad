package io.regionstore.bench;

import io.regionstore.remote.FileRangeSource;
import io.regionstore.remote.HttpRangeSource;
import io.regionstore.remote.RangeSource;
import io.regionstore.testserver.JettyRangeServer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Latency of one read of {@code size} bytes at a random position of a 64 MiB file (in the page
 * cache): through {@link FileRangeSource}, and through {@link HttpRangeSource} from the Jetty test
 * server on 127.0.0.1 with no added latency ({@code http}) and with 20 ms per request ({@code
 * http-20ms}, a nearby object store). The HTTP cost over the file is the price of a request; the
 * 20 ms case shows that the source adds nothing measurable to a real round trip.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RangeSourceBenchmark {
  private static final int FILE_SIZE = 64 << 20;

  @Param({"file", "http", "http-20ms"})
  public String source;

  @Param({"4096", "65536", "1048576"})
  public int size;

  private Path folder;
  private JettyRangeServer server;
  private RangeSource range;
  private Arena arena;
  private MemorySegment target;
  private SplittableRandom random;

  @Setup(Level.Trial)
  public void open() throws Exception {
    folder = Folders.create("bench-range");
    byte[] bytes = new byte[FILE_SIZE];
    new Random(42).nextBytes(bytes);
    Path file = folder.resolve("data.bin");
    Files.write(file, bytes);
    if (source.equals("file")) {
      range = FileRangeSource.open(file);
    } else {
      server = JettyRangeServer.start(folder);
      if (source.equals("http-20ms")) {
        server.front().delay(Duration.ofMillis(20));
      }
      range = HttpRangeSource.open(server.uri("data.bin"));
    }
    arena = Arena.ofShared();
    target = arena.allocate(size);
    random = new SplittableRandom(7);
  }

  @Benchmark
  public byte read() throws IOException {
    range.read(random.nextLong(FILE_SIZE - size + 1), target);
    return target.get(ValueLayout.JAVA_BYTE, size - 1);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    range.close();
    if (server != null) {
      server.close();
    }
    arena.close();
    Folders.delete(folder);
  }
}
