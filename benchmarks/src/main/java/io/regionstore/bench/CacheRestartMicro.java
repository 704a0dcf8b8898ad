package io.regionstore.bench;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.CachedContent;
import io.regionstore.cache.ContentId;
import io.regionstore.cache.SlotCache;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * What persistence costs the slot cache. {@code checksum}: the block check the journal records
 * (SHA-256 of one 64 KiB block, of which 128 bits are kept), paid once per miss and once per block
 * at open. {@code reopen}: close and open a persistent cache whose {@code cacheMiB} are full of
 * 64 KiB blocks, i.e. the journal replay plus the check of every slot (the slot file is in the page
 * cache after the first open, so this is the CPU cost, not the disk's).
 *
 * <p>Not part of the {@code benchmarks/run} suite; run it with {@code org.openjdk.jmh.Main
 * CacheRestartMicro}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheRestartMicro {
  static final int BLOCK = 1 << 16;

  @Param({"256"})
  public int cacheMiB;

  private Path folder;
  private CacheOptions options;
  private SlotCache cache;
  private MemorySegment block;

  @Setup(Level.Trial)
  public void fill() throws IOException {
    folder = Folders.create("bench-cache-restart");
    long bytes = (long) cacheMiB << 20;
    options = CacheOptions.builder().blockSize(BLOCK).initialCapacity(bytes).maxCapacity(bytes).prefetchThreads(0).build();
    Random random = new Random(42);
    byte[] source = new byte[BLOCK];
    random.nextBytes(source);
    block = Arena.global().allocate(BLOCK);
    MemorySegment.copy(MemorySegment.ofArray(source), 0, block, 0, BLOCK);
    byte[] digest = new byte[32];
    random.nextBytes(digest);
    cache = SlotCache.open(folder, options);
    CachedContent content =
        cache.content(
            ContentId.of(digest, bytes),
            (first, targets) -> {
              for (MemorySegment t : targets) {
                MemorySegment.copy(block, 0, t, 0, t.byteSize());
                t.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, first++);
              }
            });
    for (long b = 0; b < bytes / BLOCK; b++) {
      content.pin(b).unpin();
    }
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    cache.close();
    Folders.delete(folder);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  public byte[] checksum() throws NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(block.asByteBuffer());
    return sha.digest();
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public long reopen() throws IOException {
    cache.close();
    cache = SlotCache.open(folder, options);
    long adopted = cache.stats().adopted();
    if (adopted != ((long) cacheMiB << 20) / BLOCK) {
      throw new IllegalStateException("adopted " + adopted);
    }
    return adopted;
  }
}
