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
import java.util.ArrayList;
import java.util.List;

/**
 * The cache file: a run of fixed-size slots, memory-mapped read-write, that grows from an initial
 * to a maximum size and never past it.
 *
 * <p>Each growth maps only the bytes it added (one mapping per growth; the file doubles, so there
 * are at most log2(max / initial) + 1 mappings), so nothing ever maps or touches bytes past the end
 * of the file. The disk blocks of the bytes a growth adds are reserved first ({@link FileSpace}):
 * the file is never sparse, so a full disk is an {@link IOException} when the cache grows, never a
 * SIGBUS when a fetch writes into the mapping. The file is locked (an OS lock) while open, so two
 * caches never share it; the holder writes its process id next to it ({@link CacheOwner}) so that a
 * refused opener can name it. A kept (persistent) file keeps its slots' bytes from one open to the
 * next; which slot holds which block is the {@link CacheJournal}'s business.
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
  /** One mapping per growth (see {@link #force}). */
  private final List<MemorySegment> mapped = new ArrayList<>();
  private final boolean keep;
  private volatile int slots;

  private SlotFile(Path path, FileChannel channel, FileSpace space, int blockSize, int maxSlots, boolean keep) {
    this.path = path;
    this.channel = channel;
    this.space = space;
    this.blockSize = blockSize;
    this.slotSegments = new MemorySegment[maxSlots];
    this.keep = keep;
  }

  /**
   * Opens the cache file in {@code folder}, made if missing, locks it and maps it. If {@code keep},
   * its slots keep their bytes (a torn last slot and slots past {@code maxSlots} are cut off) and it
   * grows to {@code initialSlots} if shorter; else it is emptied and sized to {@code initialSlots}.
   *
   * @throws IOException naming the folder if it cannot be created or written, is not a folder, or
   *     another cache holds its file (naming the holder, see {@link CacheOwner})
   */
  static SlotFile open(Path folder, int blockSize, int initialSlots, int maxSlots, boolean keep)
      throws IOException {
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
      CacheOwner.record(folder);
      space = FileSpace.open(path, channel);
      file = new SlotFile(path, channel, space, blockSize, maxSlots, keep);
      int kept = keep ? (int) Math.min(maxSlots, channel.size() / blockSize) : 0;
      // Nothing is kept past the whole slots the cache may use.
      channel.truncate((long) kept * blockSize);
      file.extend(0, Math.max(kept, Math.min(maxSlots, initialSlots)), (long) kept * blockSize);
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

  /** A throwaway file: emptied at open, deleted at close. */
  static SlotFile open(Path folder, int blockSize, int initialSlots, int maxSlots) throws IOException {
    return open(folder, blockSize, initialSlots, maxSlots, false);
  }

  private static void lock(FileChannel channel, Path folder) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException(
          "cache folder " + folder + " is in use by another open cache (" + CacheOwner.describe(folder) + ")");
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
    extend(from, to, (long) from * blockSize);
    return true;
  }

  /**
   * Maps slots [from, to) in one mapping, reserving the disk blocks of the bytes from {@code
   * reserveFrom} on (bytes before it are kept as they are); on failure cuts the file back to {@code
   * reserveFrom}.
   */
  private void extend(int from, int to, long reserveFrom) throws IOException {
    long start = (long) from * blockSize;
    long end = (long) to * blockSize;
    try {
      if (reserveFrom < end) {
        space.reserve(reserveFrom, end);
      }
      MemorySegment map = channel.map(FileChannel.MapMode.READ_WRITE, start, end - start, mappings);
      for (int i = from; i < to; i++) {
        slotSegments[i] = map.asSlice((long) (i - from) * blockSize, blockSize);
      }
      mapped.add(map);
    } catch (IOException e) {
      channel.truncate(reserveFrom);
      throw new IOException("cannot grow cache file " + path + " from " + reserveFrom + " to " + end + " bytes: " + e, e);
    }
    slots = to;
  }

  /** Writes the dirty pages of every mapping to disk (msync); for a kept file at close. */
  void force() {
    for (MemorySegment m : mapped) {
      m.force();
    }
  }

  /**
   * Unmaps the file and releases its lock; a throwaway file is deleted. Every view of a slot must be
   * dead first.
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
      CacheOwner.clear(path.getParent());
      if (!keep) {
        Files.deleteIfExists(path);
      }
    }
  }
}
