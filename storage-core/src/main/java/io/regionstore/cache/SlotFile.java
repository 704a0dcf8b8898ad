package io.regionstore.cache;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The cache file: a run of fixed-size slots, memory-mapped read-write, that grows from an initial
 * to a maximum size and never past it.
 *
 * <p>Each growth maps only the bytes it added (one mapping per growth; the file doubles, so there
 * are at most log2(max / initial) + 1 mappings), so nothing ever maps or touches bytes past the end
 * of the file. The disk blocks of the bytes a growth adds are reserved first ({@link FileSpace}):
 * the file is never sparse, so a full disk is an {@link IOException} when the cache grows, never a
 * SIGBUS when a fetch writes into the mapping. The file is locked (an OS lock) while open, so two
 * caches never share it.
 *
 * <p>Not thread-safe: the {@link BlockTable} calls {@link #grow} under its lock. {@link #slot} may
 * be called from any thread for a slot below {@link #slots()} as seen under that lock.
 */
final class SlotFile implements AutoCloseable {
  /** The cache file's name inside the cache folder. */
  static final String FILE_NAME = "regionstore.cache";

  private final Path path;
  private final FileChannel channel;
  private final FileSpace space;
  private final Arena mappings = Arena.ofShared();
  private final int blockSize;
  private final MemorySegment[] slotSegments;
  private volatile int slots;

  private SlotFile(Path path, FileChannel channel, FileSpace space, int blockSize, int maxSlots) {
    this.path = path;
    this.channel = channel;
    this.space = space;
    this.blockSize = blockSize;
    this.slotSegments = new MemorySegment[maxSlots];
  }

  /**
   * Creates (or empties) the cache file in {@code folder} and sizes it to {@code initialSlots}.
   *
   * @throws IOException naming the folder if it cannot be created or written, is not a folder, or
   *     another cache holds its file
   */
  static SlotFile open(Path folder, int blockSize, int initialSlots, int maxSlots) throws IOException {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new IOException("cache folder " + folder + " is unusable: cannot create it (" + e + ")", e);
    }
    Path path = folder.resolve(FILE_NAME);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IOException("cache folder " + folder + " is unusable: cannot open " + path + " (" + e + ")", e);
    }
    SlotFile file = null;
    FileSpace space = null;
    try {
      lock(channel, folder); // held until the channel closes
      space = FileSpace.open(path, channel);
      file = new SlotFile(path, channel, space, blockSize, maxSlots);
      // Nothing is persisted yet, so old contents are meaningless: start empty.
      channel.truncate(0);
      file.grow(initialSlots);
      return file;
    } finally {
      if (file == null || file.slots == 0) {
        if (file != null) {
          file.mappings.close();
        }
        channel.close(); // releases the lock; only then may the native descriptor close
        if (space != null) {
          space.close();
        }
      }
    }
  }

  private static void lock(FileChannel channel, Path folder) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException("cache folder " + folder + " is in use by another open cache");
    }
  }

  /** The cache file. */
  Path path() {
    return path;
  }

  /** Slots the file holds now. */
  int slots() {
    return slots;
  }

  /** Slots the file may grow to. */
  int maxSlots() {
    return slotSegments.length;
  }

  /** The whole slot {@code index}, as a segment of the mapping (scoped to the file's life). */
  MemorySegment slot(int index) {
    return slotSegments[index];
  }

  /**
   * Grows the file to hold at least {@code wanted} slots: to twice its size, or more if that is not
   * enough, but never past the maximum. Returns whether it now holds {@code wanted} slots.
   */
  boolean grow(int wanted) throws IOException {
    int from = slots;
    if (wanted <= from) {
      return true;
    }
    if (wanted > maxSlots()) {
      return false;
    }
    int to = (int) Math.min(maxSlots(), Math.max(wanted, 2L * from));
    long start = (long) from * blockSize;
    long end = (long) to * blockSize;
    try {
      space.reserve(start, end);
      MemorySegment mapped = channel.map(FileChannel.MapMode.READ_WRITE, start, end - start, mappings);
      for (int i = from; i < to; i++) {
        slotSegments[i] = mapped.asSlice((long) (i - from) * blockSize, blockSize);
      }
    } catch (IOException e) {
      channel.truncate(start);
      throw new IOException("cannot grow cache file " + path + " from " + start + " to " + end + " bytes: " + e, e);
    }
    slots = to;
    return true;
  }

  /**
   * Unmaps the file, releases its lock, closes and deletes it (nothing in it outlives the cache).
   * Every view of a slot must be dead first.
   */
  @Override
  public void close() throws IOException {
    if (!mappings.scope().isAlive()) {
      return;
    }
    mappings.close();
    // Deleted while still locked, so a cache opening the folder meanwhile never loses its new file.
    // Closing the channel releases the lock; the native descriptor closes after it (FileSpace).
    try (space; channel) {
      Files.deleteIfExists(path);
    }
  }
}
