package io.regionstore.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.mockfile.FilterFileChannel;
import org.apache.lucene.tests.mockfile.FilterFileSystemProvider;

/**
 * A file system over the default one whose channels make every {@code force} (fsync or fdatasync)
 * take a fixed extra time, as on a disk where a flush to stable storage costs milliseconds, and
 * count the calls. Every directory kind opened on a path from {@link #wrap} pays it alike:
 * FSDirectory's fsyncs open a channel on the path and force it, and RegionDirectory's store opens
 * its data file through the path (mapping goes through the real file, as MMapDirectory's does).
 *
 * <p>Thread-safe.
 */
public final class SlowDisk extends FilterFileSystemProvider {
  /** The extra milliseconds per force call of the benchmarks' slow-disk mode. */
  public static final int DEFAULT_DELAY_MS = 1;

  private final long delayNanos;
  private final AtomicLong forces = new AtomicLong();

  /** @param delayNanos extra time every force call waits before forcing */
  public SlowDisk(long delayNanos) {
    super("slowdisk://", FileSystems.getDefault());
    this.delayNanos = delayNanos;
  }

  /** A directory of {@code kind} on {@code folder} of a new slow disk of {@link #DEFAULT_DELAY_MS}. */
  public static Directory open(DirectoryKind kind, Path folder) throws IOException {
    return kind.open(new SlowDisk(TimeUnit.MILLISECONDS.toNanos(DEFAULT_DELAY_MS)).wrap(folder));
  }

  /** {@code real} on this file system. */
  public Path wrap(Path real) {
    return wrapPath(real);
  }

  /** Force calls so far. */
  public long forces() {
    return forces.get();
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return new FilterFileChannel(super.newFileChannel(path, options, attrs)) {
      @Override
      public void force(boolean metaData) throws IOException {
        forces.incrementAndGet();
        pause();
        super.force(metaData);
      }
    };
  }

  /** Waits {@link #delayNanos} (parkNanos may wake early: loop to the deadline). */
  private void pause() {
    long deadline = System.nanoTime() + delayNanos;
    for (long left = delayNanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
