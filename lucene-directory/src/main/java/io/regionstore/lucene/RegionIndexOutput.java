package io.regionstore.lucene;

import io.regionstore.RegionWriter;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.BitUtil;

/**
 * Writes one file of a {@link RegionDirectory} into a {@link RegionWriter}; closing it seals the
 * region, which makes the file readable.
 *
 * <p>Small writes collect in a heap buffer, so that the running {@link CRC32} (for {@link
 * #getChecksum()}) and the writer are updated once per buffer rather than once per byte; large
 * writes go straight through. The region writer buffers again before its positional write to the
 * data file: that second copy is a memcpy, cheaper than a system call per small buffer.
 *
 * <p>Not thread-safe, as any {@link IndexOutput}. Writing after {@link #close()} throws {@link
 * AlreadyClosedException}; so does writing after the directory was closed. {@link #close()} is
 * idempotent.
 */
final class RegionIndexOutput extends IndexOutput {
  private static final int BUFFER_SIZE = 8192;
  /** Installed on close: with no room in it, the next write goes to flushBuffer, which throws. */
  private static final byte[] CLOSED = new byte[0];

  private final RegionWriter writer;
  private final Consumer<RegionIndexOutput> onClose;
  private final CRC32 crc = new CRC32();
  private byte[] buffer = new byte[BUFFER_SIZE];
  private int used;
  private long flushed;

  RegionIndexOutput(
      String resourceDescription,
      String name,
      RegionWriter writer,
      Consumer<RegionIndexOutput> onClose) {
    super(resourceDescription, name);
    this.writer = writer;
    this.onClose = onClose;
  }

  @Override
  public void writeByte(byte b) throws IOException {
    if (used == buffer.length) {
      flushBuffer();
    }
    buffer[used++] = b;
  }

  @Override
  public void writeBytes(byte[] b, int offset, int length) throws IOException {
    if (length <= buffer.length - used) {
      System.arraycopy(b, offset, buffer, used, length);
      used += length;
      return;
    }
    flushBuffer();
    if (length < buffer.length) {
      System.arraycopy(b, offset, buffer, 0, length);
      used = length;
    } else {
      crc.update(b, offset, length);
      write(b, offset, length);
      flushed += length;
    }
  }

  @Override
  public void writeShort(short i) throws IOException {
    if (buffer.length - used >= Short.BYTES) {
      BitUtil.VH_LE_SHORT.set(buffer, used, i);
      used += Short.BYTES;
    } else {
      super.writeShort(i);
    }
  }

  @Override
  public void writeInt(int i) throws IOException {
    if (buffer.length - used >= Integer.BYTES) {
      BitUtil.VH_LE_INT.set(buffer, used, i);
      used += Integer.BYTES;
    } else {
      super.writeInt(i);
    }
  }

  @Override
  public void writeLong(long i) throws IOException {
    if (buffer.length - used >= Long.BYTES) {
      BitUtil.VH_LE_LONG.set(buffer, used, i);
      used += Long.BYTES;
    } else {
      super.writeLong(i);
    }
  }

  @Override
  public long getFilePointer() {
    return flushed + used;
  }

  @Override
  public long getChecksum() throws IOException {
    flushBuffer();
    return crc.getValue();
  }

  /**
   * Writes out the buffer and seals the region. The directory forgets the output even if sealing
   * fails; the unsealed file then stays listed until deleted, as a partially written file would.
   */
  @Override
  public void close() throws IOException {
    if (buffer == CLOSED) {
      return;
    }
    try {
      flushBuffer();
      writer.seal();
    } catch (IllegalStateException e) {
      throw closedStore(e);
    } finally {
      buffer = CLOSED;
      used = 0;
      onClose.accept(this);
    }
  }

  private void flushBuffer() throws IOException {
    if (buffer == CLOSED) {
      throw new AlreadyClosedException("IndexOutput " + this + " is closed");
    }
    if (used > 0) {
      crc.update(buffer, 0, used);
      write(buffer, 0, used);
      flushed += used;
      used = 0;
    }
  }

  private void write(byte[] b, int offset, int length) throws IOException {
    try {
      writer.write(b, offset, length);
    } catch (IllegalStateException e) {
      throw closedStore(e);
    }
  }

  /** The writer refuses writes only once the store (so the directory) is closed. */
  private AlreadyClosedException closedStore(IllegalStateException e) {
    return new AlreadyClosedException("cannot write " + this + ": " + e.getMessage(), e);
  }
}
