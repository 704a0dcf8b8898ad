package io.regionstore.alloc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Hands out space of the data file and takes it back, under the reuse rules of {@link
 * PendingFrees}.
 *
 * <p>Space comes, in order of preference, from the best-fitting free extent, from pending extents
 * that have become reusable, and from a new chunk at the end of the file. Every extent is a
 * multiple of {@link #ALIGNMENT} bytes and lies inside one chunk.
 *
 * <p>Thread-safe: every method is synchronized ({@link #punchHoles} after a check that no other
 * thread is punching). Allocation is per extent, not per write, so the lock is off the write hot
 * path.
 */
public final class SpaceAllocator {
  /** Every extent offset and length is a multiple of this (a cache line). */
  public static final long ALIGNMENT = 64;

  /** The end of the data file, which the allocator moves. */
  public interface FileEnd {
    /** The file size. */
    long size();

    /**
     * Grows the data file by one chunk.
     *
     * @return the offset where the new chunk starts
     */
    long addChunk() throws IOException;

    /** Cuts the file to {@code newSize}, a chunk boundary. */
    void truncate(long newSize) throws IOException;

    /**
     * Punches holes in these page-aligned ranges (offset and length pairs) of the file.
     *
     * @return false if the file system cannot (nothing was punched); by default it cannot
     */
    default boolean punchHoles(long[] ranges) throws IOException {
      return false;
    }
  }

  private final long chunkSize;
  private final FreeSpace free;
  private final PendingFrees pending = new PendingFrees();
  private final FileEnd file;
  private final LongSupplier minPinnedGeneration;
  private final UnpunchedSpace unpunched = new UnpunchedSpace();
  private final AtomicBoolean punching = new AtomicBoolean();
  private long durableGeneration;
  private long minHoleSize;
  private long punchedBytes;

  /**
   * @param chunkSize the data file's chunk size
   * @param file grows the file when no free space fits, and shrinks it
   * @param minPinnedGeneration the oldest catalog generation a reader in another process pins
   * @param durableGeneration the newest durable catalog generation at open
   */
  public SpaceAllocator(
      long chunkSize, FileEnd file, LongSupplier minPinnedGeneration, long durableGeneration) {
    this(chunkSize, file, minPinnedGeneration, durableGeneration, 0);
  }

  /**
   * @param minHoleSize the smallest run of whole free pages {@link #punchHoles} gives back to the
   *     file system, a multiple of {@link UnpunchedSpace#PAGE}; 0 to punch no holes
   * @see #SpaceAllocator(long, FileEnd, LongSupplier, long)
   */
  public SpaceAllocator(
      long chunkSize,
      FileEnd file,
      LongSupplier minPinnedGeneration,
      long durableGeneration,
      long minHoleSize) {
    if (minHoleSize < 0 || minHoleSize % UnpunchedSpace.PAGE != 0) {
      throw new IllegalArgumentException("minimum hole size must be a multiple of 4096, got " + minHoleSize);
    }
    this.chunkSize = chunkSize;
    this.free = new FreeSpace(chunkSize);
    this.file = file;
    this.minPinnedGeneration = minPinnedGeneration;
    this.durableGeneration = durableGeneration;
    this.minHoleSize = minHoleSize;
  }

  /** Rounds up to {@link #ALIGNMENT}. */
  public static long align(long bytes) {
    return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
  }

  /**
   * Takes {@code length} bytes.
   *
   * @param length a multiple of {@link #ALIGNMENT}, at most the chunk size
   * @return the offset of the extent
   * @throws IOException if the file must grow and cannot
   */
  public synchronized long allocate(long length) throws IOException {
    return allocate(length, false);
  }

  /**
   * Takes {@code length} bytes from the lowest address that has them (first fit), for data that is
   * rewritten often (catalog bodies): kept low, it never stops the file from shrinking.
   */
  public synchronized long allocateLow(long length) throws IOException {
    return allocate(length, true);
  }

  private long allocate(long length, boolean lowest) throws IOException {
    if (length <= 0 || length > chunkSize || length % ALIGNMENT != 0) {
      throw new IllegalArgumentException("cannot allocate " + length + " bytes");
    }
    long offset = lowest ? free.allocateFirstFit(length) : free.allocate(length);
    if (offset < 0 && releasePending() > 0) {
      offset = lowest ? free.allocateFirstFit(length) : free.allocate(length);
    }
    if (offset < 0) {
      long chunkStart = file.addChunk();
      free.add(chunkStart, chunkSize); // a hole until written: nothing to punch
      offset = free.allocate(length);
    }
    return taken(offset, length);
  }

  /**
   * Grows an extent in place: takes up to {@code want} free bytes that start at {@code end}.
   *
   * @return how many bytes were taken (0 if the neighbour is not free)
   */
  public synchronized long extend(long end, long want) {
    long got = free.extend(end, want);
    taken(end, got);
    return got;
  }

  /**
   * Takes up to {@code want} bytes from the lowest free extent below {@code limit} (compaction).
   *
   * @return {offset, length}, or null if there is no free space below {@code limit}
   */
  public synchronized long[] allocateLowest(long want, long limit) {
    long[] got = free.allocateLowest(want, limit);
    if (got != null) {
      taken(got[0], got[1]);
    }
    return got;
  }

  /** Gives back space that no catalog ever referenced: it is reusable at once. */
  public synchronized void release(long offset, long length) {
    freed(offset, length);
  }

  /**
   * Gives back the extents of a region that a catalog may reference, freed at generation {@code
   * freedAt}.
   *
   * @param extents offset and length pairs
   */
  public synchronized void retire(long freedAt, long[] extents) {
    for (int i = 0; i < extents.length; i += 2) {
      pending.add(freedAt, extents[i], extents[i + 1]);
    }
  }

  /** Records that catalog generation {@code generation} is durable. */
  public synchronized void durable(long generation) {
    durableGeneration = Math.max(durableGeneration, generation);
    releasePending();
  }

  /**
   * Moves pending extents that became reusable into the free list. Looks at the reader table only
   * when some pending extent is old enough for the durability rule.
   *
   * @return bytes made reusable
   */
  public synchronized long releasePending() {
    if (durableGeneration < pending.oldestGeneration() + 1) {
      return 0;
    }
    return pending.releaseInto(this::freed, durableGeneration, minPinnedGeneration.getAsLong());
  }

  /**
   * Gives free space back to the file system: punches a hole in the whole pages of every free
   * range, freed since it was last punched, that has at least the minimum hole size of them
   * (neighbouring frees merge first, so many small frees can make one hole). Only free space is
   * punched: never a live, held or pending extent, so never anything a catalog slot or a reader
   * may reference. Runs under the allocator's lock, as growth does, so no range is handed out
   * while its hole is being punched.
   *
   * <p>Best effort: if the file system cannot punch holes, or a punch fails, the space stays
   * allocated and this allocator punches no more (the store works the same, only larger on disk).
   * A caller that finds another thread punching returns at once instead of waiting for it (the
   * callers of one group commit all come here).
   *
   * @return bytes punched
   */
  public long punchHoles() {
    if (!punching.compareAndSet(false, true)) {
      return 0;
    }
    try {
      return punchHolesLocked();
    } finally {
      punching.set(false);
    }
  }

  private synchronized long punchHolesLocked() {
    if (minHoleSize == 0 || unpunched.bytes() < minHoleSize) {
      return 0;
    }
    long[] runs = unpunched.takeRuns(minHoleSize);
    if (runs.length == 0) {
      return 0;
    }
    boolean punched;
    try {
      punched = file.punchHoles(runs);
    } catch (IOException e) {
      punched = false; // reported by the file end (a JFR event); the space is merely not given back
    }
    if (!punched) {
      minHoleSize = 0;
      unpunched.clear();
      return 0;
    }
    long bytes = 0;
    for (int i = 1; i < runs.length; i += 2) {
      bytes += runs[i];
    }
    punchedBytes += bytes;
    return bytes;
  }

  /** Bytes given back to the file system by {@link #punchHoles} so far. */
  public synchronized long punchedBytes() {
    return punchedBytes;
  }

  /** Free bytes that may still occupy disk blocks (freed and not punched since). */
  public synchronized long unpunchedBytes() {
    return unpunched.bytes();
  }

  private void freed(long offset, long length) {
    free.add(offset, length);
    if (minHoleSize > 0) {
      unpunched.add(offset, length);
    }
  }

  private long taken(long offset, long length) {
    if (minHoleSize > 0 && length > 0) {
      unpunched.remove(offset, length);
    }
    return offset;
  }

  /**
   * Cuts wholly free chunks off the end of the data file (never chunk 0). Runs under the
   * allocator's lock so no allocation can grow the file meanwhile.
   *
   * @return the new file size
   */
  public synchronized long shrink() throws IOException {
    long size = file.size();
    long end = size;
    while (end > chunkSize && free.isFree(end - chunkSize, chunkSize)) {
      end -= chunkSize;
    }
    if (end < size) {
      file.truncate(end);
      free.truncate(end);
      unpunched.truncate(end);
    }
    return end;
  }

  /** Reusable free bytes. */
  public synchronized long freeBytes() {
    return free.bytes();
  }

  /** Reusable free extents. */
  public synchronized int freeExtentCount() {
    return free.extentCount();
  }

  /** Bytes freed but not reusable yet. */
  public synchronized long pendingBytes() {
    return pending.bytes();
  }

  /** Every free and pending extent as {offset, length}, for space accounting checks. */
  public synchronized List<long[]> unusedExtents() {
    List<long[]> all = freeExtents();
    pending.forEach(all::add);
    return all;
  }

  /** Every free extent as {offset, length}, in offset order, for checks. */
  public synchronized List<long[]> freeExtents() {
    List<long[]> all = new ArrayList<>();
    free.snapshot().forEach((offset, length) -> all.add(new long[] {offset, length}));
    return all;
  }
}
