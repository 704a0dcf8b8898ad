package io.regionstore;

import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import io.regionstore.io.SparseFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A disk that loses power. Writes go to the real files (the "page cache" the running store reads)
 * and are also recorded as pending until the file is forced; a forced file's pending writes become
 * its durable image. {@link #crashImage} then builds what the disk could hold after a power loss:
 * the durable images plus a random subset of pending writes, each torn at 4 KiB page granularity,
 * applied in random order. A punched hole is modelled as a write of zeros over the range (the
 * file keeps its size): pending until the file is forced, then durable; after a power loss it may
 * have reached the disk in any part, in whole pages.
 *
 * <p>{@link #crashAfter} makes the Nth I/O call and every later one throw, as if the machine
 * stopped there.
 */
final class SimulatedDisk {
  static final int PAGE = 4096;

  /** A write ({@code bytes}), a truncation ({@code truncateTo >= 0}) or a punched hole ({@code hole > 0}). */
  private record Op(long offset, byte[] bytes, long truncateTo, long hole) {}

  private final Map<Path, byte[]> durable = new HashMap<>();
  private final Map<Path, List<Op>> pending = new HashMap<>();
  private long ioCalls;
  private long punches;
  private long crashAt = Long.MAX_VALUE;
  private boolean crashed;

  /** Takes every file in {@code dir} as durable, as it is now. */
  synchronized void durableNow(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        durable.put(f.toAbsolutePath(), Files.readAllBytes(f));
      }
    }
  }

  /** The Nth I/O call from now on (1 = the next one) and all after it fail. */
  synchronized void crashAfter(long calls) {
    crashAt = ioCalls + calls;
  }

  synchronized boolean crashed() {
    return crashed;
  }

  synchronized long ioCalls() {
    return ioCalls;
  }

  /** Holes punched so far (calls that reached the file). */
  synchronized long punches() {
    return punches;
  }

  ChannelOpener opener() {
    return (path, options) -> new Channel(FileChannel.open(path, options), path.toAbsolutePath());
  }

  /**
   * Writes a possible post-power-loss state of every known file into {@code target}.
   *
   * @param keep probability that a pending write reaches the disk at all
   */
  synchronized void crashImage(Random rnd, Path target, double keep) throws IOException {
    Files.createDirectories(target);
    for (Map.Entry<Path, byte[]> e : durable.entrySet()) {
      byte[] image = e.getValue().clone();
      List<Op> ops = new ArrayList<>(pending.getOrDefault(e.getKey(), List.of()));
      Collections.shuffle(ops, rnd); // the disk may persist them in any order
      for (Op op : ops) {
        if (rnd.nextDouble() >= keep) {
          continue;
        }
        if (op.truncateTo >= 0) {
          image = Arrays.copyOf(image, (int) op.truncateTo);
          continue;
        }
        image = tornWrite(rnd, image, op);
      }
      Files.write(target.resolve(e.getKey().getFileName()), image);
    }
  }

  private static byte[] tornWrite(Random rnd, byte[] image, Op op) {
    long end = op.offset + length(op);
    boolean whole = rnd.nextBoolean();
    for (long page = op.offset / PAGE * PAGE; page < end; page += PAGE) {
      if (!whole && rnd.nextBoolean()) {
        continue; // this page of the write never made it
      }
      image = apply(image, op, Math.max(page, op.offset), Math.min(page + PAGE, end));
    }
    return image;
  }

  private static long length(Op op) {
    return op.hole > 0 ? op.hole : op.bytes.length;
  }

  /** Applies the part [from, to) of a write or hole to {@code image}; a hole never grows it. */
  private static byte[] apply(byte[] image, Op op, long from, long to) {
    if (op.hole > 0) {
      if (from < image.length) {
        Arrays.fill(image, (int) from, (int) Math.min(to, image.length), (byte) 0);
      }
      return image;
    }
    if (to > image.length) {
      image = Arrays.copyOf(image, (int) to);
    }
    System.arraycopy(op.bytes, (int) (from - op.offset), image, (int) from, (int) (to - from));
    return image;
  }

  private synchronized void io(Path file) throws IOException {
    ioCalls++;
    if (crashed || ioCalls >= crashAt) {
      crashed = true;
      throw new IOException("simulated power loss (I/O call " + ioCalls + " on " + file.getFileName() + ")");
    }
  }

  private synchronized void recordWrite(Path file, long offset, byte[] bytes) {
    pending.computeIfAbsent(file, f -> new ArrayList<>()).add(new Op(offset, bytes, -1, 0));
    durable.putIfAbsent(file, new byte[0]);
  }

  private synchronized void recordHoles(Path file, long[] ranges) {
    for (int i = 0; i < ranges.length; i += 2) {
      pending.computeIfAbsent(file, f -> new ArrayList<>()).add(new Op(ranges[i], null, -1, ranges[i + 1]));
    }
    durable.putIfAbsent(file, new byte[0]);
    punches++;
  }

  private synchronized void recordTruncate(Path file, long size) {
    pending.computeIfAbsent(file, f -> new ArrayList<>()).add(new Op(0, null, size, 0));
    durable.putIfAbsent(file, new byte[0]);
  }

  private synchronized void force(Path file) {
    byte[] image = durable.getOrDefault(file, new byte[0]);
    for (Op op : pending.getOrDefault(file, List.of())) {
      if (op.truncateTo >= 0) {
        image = Arrays.copyOf(image, (int) op.truncateTo);
      } else {
        image = apply(image, op, op.offset, op.offset + length(op));
      }
    }
    durable.put(file, image);
    pending.remove(file);
  }

  /** A channel that reports its I/O to the disk. Reads and mappings see the real file. */
  private final class Channel extends ForwardingFileChannel {
    private final Path file;

    Channel(FileChannel delegate, Path file) {
      super(delegate);
      this.file = file;
    }

    @Override
    protected void beforeCall(String operation, long position) throws IOException {
      if (position < 0 && (operation.equals("write") || operation.equals("read"))) {
        // only positional writes are recorded; the store makes no other kind
        throw new UnsupportedOperationException("the store uses positional I/O only");
      }
      io(file);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      byte[] bytes = new byte[src.remaining()];
      src.duplicate().get(bytes);
      int n = super.write(src, position);
      recordWrite(file, position, Arrays.copyOf(bytes, n));
      return n;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      boolean shrinks = size < delegate.size();
      super.truncate(size);
      if (shrinks) {
        recordTruncate(file, size);
      }
      return this;
    }

    @Override
    public boolean punchHoles(SparseFile sparse, long[] ranges) throws IOException {
      boolean punched = super.punchHoles(sparse, ranges); // the real file reads zeros from now on
      if (punched) {
        recordHoles(file, ranges);
      }
      return punched;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      super.force(metaData);
      SimulatedDisk.this.force(file);
    }
  }
}
