package io.regionstore.mmap;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.errors.StoreClosedException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Read-only mappings of the data file, one per chunk, made on first use and kept until the store
 * closes.
 *
 * <p>The mapping count is the number of chunks touched, independent of the number of regions. A
 * chunk is never remapped or unmapped while the store is open, so a segment handed to a reader
 * stays valid however the file grows. Looking up a mapped chunk is a plain array read; only the
 * first access to a chunk takes a lock and makes the {@code mmap} call. The last chunk of a packed
 * file ({@link DataFile#isImmutable()}) is mapped only up to the file's end.
 *
 * <p>Thread-safe.
 */
public final class MappedChunks implements AutoCloseable {
  /** Smallest chunk size: 64 KiB (for tests that cross many chunks). */
  public static final long MIN_CHUNK_SIZE = 1L << 16;
  /** Largest chunk size: 16 GiB, as Lucene's MMapDirectory. */
  public static final long MAX_CHUNK_SIZE = 1L << 34;
  private final DataFile file;
  private final long chunkSize;
  private final int chunkShift;
  private final Arena arena = Arena.ofShared();
  private volatile MemorySegment[] chunks = new MemorySegment[0];
  private boolean closed;

  /** @param file the data file whose chunks to map */
  public MappedChunks(DataFile file) {
    this.file = file;
    this.chunkSize = file.chunkSize();
    this.chunkShift = Long.numberOfTrailingZeros(chunkSize);
  }

  /**
   * A view of {@code length} bytes at file offset {@code offset}, which must lie inside one chunk.
   *
   * @throws CorruptStoreException if the bytes cross a chunk boundary or lie beyond the file
   * @throws StoreClosedException if the store is closed
   */
  public MemorySegment slice(long offset, long length) throws IOException {
    int index = (int) (offset >>> chunkShift);
    long within = offset & (chunkSize - 1);
    if (within + length > chunkSize) {
      throw new CorruptStoreException(
          file.path(), offset, "extent of " + length + " bytes crosses the end of chunk " + index);
    }
    MemorySegment[] mapped = chunks;
    MemorySegment chunk = index < mapped.length ? mapped[index] : null;
    if (chunk == null) {
      chunk = map(index);
    }
    if (within + length > chunk.byteSize()) { // only the partial last chunk of a packed file
      throw new CorruptStoreException(
          file.path(), offset, length + " bytes at offset " + offset + " reach past the end of the file");
    }
    return chunk.asSlice(within, length);
  }

  /**
   * Whether the pages under [offset, offset + length) are resident, as far as the OS tells
   * ({@code mincore}). The range must lie inside one chunk.
   */
  public boolean isLoaded(long offset, long length) throws IOException {
    return slice(offset, length).isLoaded();
  }

  /** Reads the pages under [offset, offset + length) into memory now. Inside one chunk. */
  public void load(long offset, long length) throws IOException {
    slice(offset, length).load();
  }

  /**
   * Asks the OS to read [offset, offset + length) ahead and returns at once; does nothing where
   * native access is not enabled. Inside one chunk.
   */
  public void prefetch(long offset, long length) throws IOException {
    PageAdvice.willNeed(slice(offset, length));
  }

  /** Whether {@link #prefetch} reaches the OS (native access is enabled). */
  public static boolean canPrefetch() {
    return PageAdvice.available();
  }

  /** How many chunks are mapped. */
  public int mappedCount() {
    int n = 0;
    for (MemorySegment s : chunks) {
      if (s != null) {
        n++;
      }
    }
    return n;
  }

  private synchronized MemorySegment map(int index) throws IOException {
    if (closed) {
      throw new StoreClosedException("store of " + file.path() + " is closed");
    }
    MemorySegment[] mapped = chunks;
    if (index < mapped.length && mapped[index] != null) {
      return mapped[index];
    }
    long base = (long) index << chunkShift;
    long size = file.size();
    if (base + chunkSize > size && !file.isImmutable()) {
      size = file.refreshSize();
    }
    // A packed file is not a whole number of chunks: map only the bytes that exist, as touching a
    // mapped page past the end of a file raises SIGBUS.
    long length = file.isImmutable() ? Math.min(chunkSize, size - base) : chunkSize;
    if (base + length > size || length <= 0) {
      throw new CorruptStoreException(
          file.path(),
          base,
          "chunk " + index + " lies beyond the end of the data file (" + size + " bytes)");
    }
    MemorySegment chunk = file.map(base, length, arena);
    MemorySegment[] grown = Arrays.copyOf(mapped, Math.max(mapped.length, index + 1));
    grown[index] = chunk;
    chunks = grown;
    return chunk;
  }

  /** Unmaps every chunk. Every reader of this store must be closed first. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      arena.close();
    }
  }
}
