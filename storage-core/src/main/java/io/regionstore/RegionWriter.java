package io.regionstore;

import io.regionstore.alloc.SpaceAllocator;
import io.regionstore.errors.StoreClosedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Appends bytes to a new region, then seals it.
 *
 * <p>Bytes are buffered and written to the data file with positional writes into the region's
 * extents. Space is reserved an extent at a time: the first extent is the size hint (or {@link
 * StoreOptions#firstExtentSize()}), and each further one doubles, up to the chunk size. When the
 * space right after the current extent is free the extent grows in place, so a region written
 * alone is one contiguous extent. Bytes already written never move.
 *
 * <p>{@link #seal()} (or {@link #close()}) writes the buffer out, gives back the unused tail of the
 * last extent and makes the region readable and part of the next catalog generation. A CRC32C of
 * the bytes, kept as they are written, goes into the catalog: recovery uses it to tell whether the
 * region reached the disk whole before a power failure. A region is
 * write-once: after sealing it cannot be appended to.
 *
 * <p>Not thread-safe: one thread at a time writes. {@link #length()} may be read from any thread,
 * and the store reads the reserved extents (for stats) under this writer's monitor, which guards
 * every change of them; appends that fit the current extent take no lock.
 */
public final class RegionWriter implements AutoCloseable {
  private final RegionStore store;
  private final String name;
  private final long chunkSize;
  private final ByteBuffer buffer;
  private final CRC32C crc = new CRC32C();
  private Region entry;
  private long[] extents = new long[8];
  private int extentCount;
  private long nextExtentSize;
  private long extentEnd;
  private long writePosition;
  private volatile long written;
  private boolean sealed;
  private boolean abandoned;
  private IOException failure;

  RegionWriter(RegionStore store, String name, long firstExtentSize, long chunkSize, int bufferSize) {
    this.store = store;
    this.name = name;
    this.chunkSize = chunkSize;
    this.nextExtentSize = Math.min(SpaceAllocator.align(firstExtentSize), chunkSize);
    this.buffer = ByteBuffer.allocateDirect(bufferSize);
  }

  void attach(Region entry) {
    this.entry = entry;
  }

  /** The region name. */
  public String name() {
    return name;
  }

  /** Bytes appended so far, buffered ones included. */
  public long length() {
    return written + buffer.position();
  }

  /** Appends one byte. */
  public void write(byte b) throws IOException {
    ensureWritable();
    if (!buffer.hasRemaining()) {
      writeBuffer();
    }
    buffer.put(b);
  }

  /** Appends {@code len} bytes of {@code src} from {@code offset}. */
  public void write(byte[] src, int offset, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(offset, len, src.length);
    ensureWritable();
    while (len > 0) {
      if (!buffer.hasRemaining()) {
        writeBuffer();
      }
      int n = Math.min(len, buffer.remaining());
      buffer.put(src, offset, n);
      offset += n;
      len -= n;
    }
  }

  /** Appends the remaining bytes of {@code src}. */
  public void write(ByteBuffer src) throws IOException {
    ensureWritable();
    while (src.hasRemaining()) {
      if (!buffer.hasRemaining()) {
        writeBuffer();
      }
      int n = Math.min(src.remaining(), buffer.remaining());
      buffer.put(buffer.position(), src, src.position(), n);
      buffer.position(buffer.position() + n);
      src.position(src.position() + n);
    }
  }

  /** Writes buffered bytes to the data file (not durably; see {@link RegionStore#sync}). */
  public void flush() throws IOException {
    ensureWritable();
    writeBuffer();
  }

  /**
   * Seals the region: writes out the buffer, gives back unused reserved space, and makes the
   * region readable. Idempotent.
   *
   * @throws IOException if a write failed (now or earlier): the writer gives back its space and
   *     the region stays unreadable; delete it
   */
  public void seal() throws IOException {
    if (sealed) {
      return;
    }
    if (failure != null) {
      releaseAll();
      store.writerFailed(this);
      throw new IOException(
          "region \"" + name + "\" failed an earlier write and cannot be sealed; delete it", failure);
    }
    ensureWritable();
    writeBuffer();
    long[] used;
    synchronized (this) {
      sealed = true;
      used = Arrays.copyOf(extents, 2 * extentCount);
      if (extentCount > 0) {
        int last = 2 * (extentCount - 1);
        long lastStart = used[last];
        long keep = SpaceAllocator.align(writePosition - lastStart);
        if (keep == 0) {
          used = Arrays.copyOf(used, last);
        } else {
          used[last + 1] = keep;
        }
        if (lastStart + keep < extentEnd) {
          store.releaseSpace(lastStart + keep, extentEnd - (lastStart + keep));
        }
      }
      extentCount = 0; // the space now belongs to the sealed region
    }
    store.sealed(this, entry, used, written, (int) crc.getValue());
  }

  /** Same as {@link #seal()}. */
  @Override
  public void close() throws IOException {
    seal();
  }

  /** The store is closing: the region was never sealed and is lost. */
  void abandon() {
    if (!sealed) {
      abandoned = true;
      releaseAll();
    }
  }

  private synchronized void releaseAll() {
    sealed = true;
    for (int i = 0; i < extentCount; i++) {
      store.releaseSpace(extents[2 * i], extents[2 * i + 1]);
    }
    extentCount = 0;
  }

  private void ensureWritable() throws IOException {
    if (abandoned) {
      throw new StoreClosedException(
          "store closed before region \"" + name + "\" was sealed; the region is lost");
    }
    if (sealed) {
      throw new IllegalStateException("region \"" + name + "\" is sealed: regions are write-once");
    }
    if (failure != null) {
      throw new IOException("region \"" + name + "\" failed an earlier write; delete it", failure);
    }
  }

  private void writeBuffer() throws IOException {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        if (writePosition == extentEnd) {
          reserve();
        }
        int n = (int) Math.min(buffer.remaining(), extentEnd - writePosition);
        ByteBuffer part = buffer.slice(buffer.position(), n);
        crc.update(part.duplicate());
        store.writeData(part, writePosition, name);
        buffer.position(buffer.position() + n);
        writePosition += n;
        written += n;
      }
      buffer.clear();
    } catch (IOException | RuntimeException e) {
      buffer.compact();
      if (e instanceof IOException io) {
        failure = io;
      }
      throw e;
    }
  }

  // synchronized: stats() and checkSpace() read the extents from other threads
  private synchronized void reserve() throws IOException {
    long want = nextExtentSize;
    nextExtentSize = Math.min(nextExtentSize * 2, chunkSize);
    if (extentCount > 0) {
      long grown = store.extendSpace(extentEnd, want);
      if (grown > 0) {
        extents[2 * extentCount - 1] += grown;
        extentEnd += grown;
        return;
      }
    }
    long offset = store.allocateSpace(want);
    if (2 * extentCount == extents.length) {
      extents = Arrays.copyOf(extents, extents.length * 2);
    }
    extents[2 * extentCount] = offset;
    extents[2 * extentCount + 1] = want;
    extentCount++;
    writePosition = offset;
    extentEnd = offset + want;
  }

  /** The extents reserved so far (offset, length pairs), for space accounting checks. */
  synchronized long[] reservedExtents() {
    long[] copy = Arrays.copyOf(extents, 2 * extentCount);
    if (extentCount > 0) {
      copy[2 * extentCount - 1] = extentEnd - copy[2 * extentCount - 2];
    }
    return copy;
  }
}
