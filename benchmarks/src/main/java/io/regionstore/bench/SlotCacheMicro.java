package io.regionstore.bench;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.CachedBlock;
import io.regionstore.cache.CachedContent;
import io.regionstore.cache.ContentId;
import io.regionstore.cache.SlotCache;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Random;
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
 * The slot cache's own cost per block, by block size, with a fetch that is a memory copy (so the
 * network is left out: the lead measures end to end). {@code hit}: pin a random cached block, read
 * a long, unpin. {@code miss}: pin the next block of a walk over a content twice the cache's size,
 * so every pin is a miss that evicts (arena close), fetches (copy) and admits. {@code copy}: the
 * plain copy of one block, the part of a miss that is not the cache's.
 *
 * <p>Not part of the {@code benchmarks/run} suite (its name does not end in Benchmark); run it
 * with {@code org.openjdk.jmh.Main SlotCacheMicro}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SlotCacheMicro {
  static final long CACHE = 64L << 20;
  static final long CONTENT = 2 * CACHE;

  @Param({"4096", "16384", "65536", "262144", "1048576"})
  public int blockSize;

  private Path folder;
  private SlotCache cache;
  private CachedContent content;
  private MemorySegment source;
  private MemorySegment target;
  private long[] hotBlocks;
  private int nextHot;
  private long nextMiss;
  private long blocks;

  @Setup(Level.Trial)
  public void open() throws IOException {
    folder = Folders.create("bench-cache");
    cache =
        SlotCache.open(
            folder,
            CacheOptions.builder().blockSize(blockSize).initialCapacity(CACHE).maxCapacity(CACHE).build());
    source = Arena.global().allocate(CONTENT, 4096);
    Random random = new Random(42);
    for (long at = 0; at < CONTENT; at += 8) {
      source.set(ValueLayout.JAVA_LONG_UNALIGNED, at, random.nextLong());
    }
    target = Arena.global().allocate(blockSize, 4096);
    byte[] digest = new byte[32];
    random.nextBytes(digest);
    content =
        cache.content(
            ContentId.of(digest, CONTENT),
            (first, targets) -> {
              long at = first * blockSize;
              for (MemorySegment t : targets) {
                MemorySegment.copy(source, at, t, 0, t.byteSize());
                at += t.byteSize();
              }
            });
    blocks = content.blockCount();
    // The hot set: a quarter of the cache, read once so it is cached.
    hotBlocks = new long[4096];
    long hotCount = CACHE / blockSize / 4;
    for (int i = 0; i < hotBlocks.length; i++) {
      hotBlocks[i] = random.nextLong(hotCount);
    }
    for (long b = 0; b < hotCount; b++) {
      content.pin(b).unpin();
    }
    nextMiss = hotCount;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    cache.close();
    Folders.delete(folder);
  }

  @Benchmark
  public long hit() throws IOException {
    CachedBlock b = content.pin(hotBlocks[nextHot++ & (hotBlocks.length - 1)]);
    try {
      return b.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    } finally {
      b.unpin();
    }
  }

  @Benchmark
  public long miss() throws IOException {
    long index = nextMiss;
    nextMiss = index + 1 == blocks ? 0 : index + 1;
    CachedBlock b = content.pin(index);
    try {
      return b.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    } finally {
      b.unpin();
    }
  }

  @Benchmark
  public long copy() {
    long index = nextMiss;
    nextMiss = index + 1 == blocks ? 0 : index + 1;
    MemorySegment.copy(source, index * blockSize, target, 0, blockSize);
    return target.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
  }
}
