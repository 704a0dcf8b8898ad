package io.regionstore.lucene;

import io.regionstore.ReadableRegion;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.RandomAccessInput;
import org.apache.lucene.store.ReadAdvice;

/**
 * The read paths shared by both kinds of input: reads one file of a {@link RegionDirectory} (or a
 * {@link RemoteRegionDirectory}) zero-copy from the windows of its region, in the manner of
 * Lucene's {@code MemorySegmentIndexInput}.
 *
 * <p><b>Windows.</b> A {@link ReadableRegion} shows its bytes as a row of memory segments: a local
 * region's extents (views of the data file's mapping), or a remote region's cached blocks and hot
 * copies. The input keeps one <em>current window</em>: the part of one such segment that lies
 * inside this input (a slice may start or end mid-window). Every read first checks that its bytes
 * lie in the window: that one comparison is the whole bounds check, since the window never extends
 * past the input's end. A local file of one extent (any file written while no other file
 * interleaved with it, so nearly all of them) is served entirely by this fast path after its first
 * read. A read outside the window asks the reader for the window holding its first byte; a value
 * that straddles two windows is assembled byte by byte.
 *
 * <p><b>Laziness.</b> Opening an input resolves nothing: the first read resolves its window
 * through the reader, which caches each extent's view for the master and all its clones and
 * slices. So opening an input makes no system call (and no remote request), and a file read only
 * at its end (a footer check) resolves only its last window.
 *
 * <p><b>Closing.</b> The master input owns the reader. A local reader's views are scoped to the
 * reader or to the reader's group (the files of one segment, see {@link RegionDirectory}). Closing
 * the master makes it, and every clone or slice that has to look up an extent, throw {@link
 * AlreadyClosedException} at once; a clone's current window stays readable until the group's last
 * input closes (at once for an input without a group), as with {@code MMapDirectory}'s grouped
 * arenas. Then every view dies: the next access fails inside the JDK with {@link
 * IllegalStateException}, turned here into {@link AlreadyClosedException}. Until then the store
 * does not reuse the file's space, so a view never reads another file's bytes, and never crashes
 * the JVM. A closed clone or slice drops its window ({@code null}, so the next access fails with
 * {@link NullPointerException}, turned into the same). An input opened with {@code READONCE} is
 * confined to its thread (as {@code MMapDirectory}'s): another thread's read or close throws
 * {@link WrongThreadException}. Reads past the end throw {@link EOFException} naming the file;
 * positional reads at a negative position throw {@link IllegalArgumentException}, as Lucene's own
 * inputs do.
 *
 * <p><b>Two kinds.</b> A {@link LocalIndexInput}'s windows live until its reader closes, so a
 * dead window always means "closed". A {@link RemoteIndexInput}'s windows can also die while it is
 * open (the cache evicted the block); then the read drops the window and goes through {@link
 * #reread}, the one place that fetches a window again. Both kinds share every read path below: a
 * read that succeeds never calls into the subclass, and only a read that found its window dead
 * does (through {@link #windowDied}).
 *
 * <p><b>Prefetch.</b> {@link #prefetch} checks its arguments here and hands the range to the
 * subclass's {@link #prefetchRange}: the local input advises the OS, the remote one its cache.
 *
 * <p>Not thread-safe, as any {@link IndexInput}: use one clone per thread. Closing the master while
 * another thread reads a clone is safe (the read fails with {@link AlreadyClosedException}).
 */
abstract sealed class RegionIndexInput extends IndexInput implements RandomAccessInput
    permits LocalIndexInput, RemoteIndexInput {
  private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort LE_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt LE_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LE_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat LE_FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final MemorySegment NO_WINDOW = MemorySegment.ofArray(new byte[0]);

  final ReadableRegion reader;
  private final boolean isClone;
  final long offset;
  private final long length;
  private final ReadAdvice advice;
  private long pos;
  private MemorySegment window = NO_WINDOW;
  private long windowStart;
  private boolean closed;
  /**
   * Consecutive prefetches that found their pages resident, shared by the master and all its clones
   * and slices (Lucene clones per postings enum), so that a cached file stops costing system calls
   * after a logarithmic number of checks. A hint: unsynchronized on purpose.
   */
  private int[] prefetchHits = new int[1];

  RegionIndexInput(
      String description,
      ReadableRegion reader,
      boolean isClone,
      long offset,
      long length,
      ReadAdvice advice) {
    super(description);
    this.reader = reader;
    this.isClone = isClone;
    this.offset = offset;
    this.length = length;
    this.advice = advice;
  }

  /** The read advice this file was opened with (see {@link RegionDirectory}). */
  final ReadAdvice readAdvice() {
    return advice;
  }

  // ------------------------------------------------------------ what differs by kind

  /**
   * A new input of this kind over [offset, offset + length) of the same region, as a clone or
   * slice (it does not own the reader).
   */
  abstract RegionIndexInput sameKind(String description, long offset, long length);

  /**
   * Handles an access to a dead window, the {@code attempt}-th in a row for one read. Returns
   * normally only if the read may be tried again (the window was evicted and is dropped).
   *
   * @throws AlreadyClosedException if the input or its reader is closed
   * @throws IOException if the read may not be tried again for another reason
   */
  abstract void windowDied(RuntimeException e, int attempt) throws IOException;

  /**
   * Acts on a prefetch hint for [at, at + len) of the region ({@code len > 0}, range checked).
   *
   * @throws IllegalStateException if the reader closed meanwhile (turned into {@link
   *     AlreadyClosedException})
   */
  abstract void prefetchRange(long at, long len) throws IOException;

  // ------------------------------------------------------------ positioning

  @Override
  public final long getFilePointer() {
    return pos;
  }

  @Override
  public final void seek(long position) throws IOException {
    ensureOpen();
    if (position < 0) {
      throw new IllegalArgumentException("seek to negative position " + position + ": " + this);
    }
    if (position > length) {
      throw new EOFException(
          "seek to " + position + " past EOF (length " + length + "): " + this);
    }
    pos = position;
  }

  @Override
  public final long length() {
    return length;
  }

  /**
   * The index in the window of {@code n} bytes at input position {@code p}, moving the window to
   * the extent of {@code p} if needed; -1 if the bytes straddle two extents.
   */
  private long index(long p, long n) throws IOException {
    long i = p - windowStart;
    if (i >= 0 && i + n <= window.byteSize()) {
      return i;
    }
    return moveWindow(p, n);
  }

  private long moveWindow(long p, long n) throws IOException {
    ensureOpen();
    if (p < 0) {
      throw new IllegalArgumentException("read at negative position " + p + ": " + this);
    }
    if (n > length - p) {
      throw new EOFException(
          "read of " + n + " bytes at " + p + " past EOF (length " + length + "): " + this);
    }
    if (n == 0) {
      return -1; // nothing to read; p may be the end, which no extent holds
    }
    long at = offset + p;
    long extentStart = reader.windowStart(at);
    MemorySegment view = reader.window(at);
    long from = Math.max(extentStart, offset);
    long to = Math.min(extentStart + view.byteSize(), offset + length);
    window = view.asSlice(from - extentStart, to - from);
    windowStart = from - offset;
    long i = p - windowStart;
    return i + n <= window.byteSize() ? i : -1;
  }

  /** Drops the current window, so that the next read asks the reader again. */
  final void dropWindow() {
    window = NO_WINDOW;
    windowStart = 0;
  }

  final void ensureOpen() {
    if (isClosed()) {
      throw new AlreadyClosedException("already closed: " + this);
    }
  }

  /** Whether this input, or the master input's reader, is closed. */
  final boolean isClosed() {
    return closed || reader.isClosed();
  }

  /**
   * The JDK reports a fault on a mapped page (SIGBUS: someone truncated the data file under the
   * mapping) as an InternalError from the access.
   */
  private CorruptIndexException truncatedUnderneath(InternalError e) {
    return new CorruptIndexException(
        "the store's data file was truncated or damaged under this open input", toString(), e);
  }

  /** Turns an access to a dead view (master closed) or a dropped window (clone closed). */
  final AlreadyClosedException alreadyClosed(RuntimeException e) {
    return new AlreadyClosedException("already closed: " + this, e);
  }

  // ------------------------------------------------------------ positional reads
  //
  // Each read tries its window once. An access to a dead window (IllegalStateException: the view's
  // arena closed; NullPointerException: this clone closed and dropped its window) goes to reread(),
  // which asks the subclass whether to try again.

  @Override
  public final byte readByte(long p) throws IOException {
    try {
      long i = index(p, Byte.BYTES); // first: it may move the window
      return window.get(BYTE, i);
    } catch (IllegalStateException | NullPointerException e) {
      return (byte) reread(e, p, Byte.BYTES, null, 0);
    } catch (InternalError e) {
      throw truncatedUnderneath(e);
    }
  }

  @Override
  public final short readShort(long p) throws IOException {
    try {
      long i = index(p, Short.BYTES);
      return i >= 0 ? window.get(LE_SHORT, i) : (short) straddling(p, Short.BYTES);
    } catch (IllegalStateException | NullPointerException e) {
      return (short) reread(e, p, Short.BYTES, null, 0);
    } catch (InternalError e) {
      throw truncatedUnderneath(e);
    }
  }

  @Override
  public final int readInt(long p) throws IOException {
    try {
      long i = index(p, Integer.BYTES);
      return i >= 0 ? window.get(LE_INT, i) : (int) straddling(p, Integer.BYTES);
    } catch (IllegalStateException | NullPointerException e) {
      return (int) reread(e, p, Integer.BYTES, null, 0);
    } catch (InternalError e) {
      throw truncatedUnderneath(e);
    }
  }

  @Override
  public final long readLong(long p) throws IOException {
    try {
      long i = index(p, Long.BYTES);
      return i >= 0 ? window.get(LE_LONG, i) : straddling(p, Long.BYTES);
    } catch (IllegalStateException | NullPointerException e) {
      return reread(e, p, Long.BYTES, null, 0);
    } catch (InternalError e) {
      throw truncatedUnderneath(e);
    }
  }

  @Override
  public final void readBytes(long p, byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    try {
      copyBytes(p, b, off, len);
    } catch (IllegalStateException | NullPointerException e) {
      reread(e, p, len, b, off);
    } catch (InternalError e) {
      throw truncatedUnderneath(e);
    }
  }

  /**
   * The one retry loop: after the window of a read died, asks {@link #windowDied} (which throws
   * unless the read may go on) and reads again, until a read succeeds. Reads {@code n} bytes at
   * {@code p} into {@code b} at {@code off}, or, if {@code b} is null, the little-endian value of
   * {@code n} bytes at {@code p} (returned).
   */
  private long reread(RuntimeException died, long p, int n, byte[] b, int off) throws IOException {
    for (int attempt = 1; ; attempt++) {
      windowDied(died, attempt);
      try {
        if (b != null) {
          copyBytes(p, b, off, n);
          return 0;
        }
        return value(p, n);
      } catch (IllegalStateException | NullPointerException e) {
        died = e;
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }

  /** The little-endian value of {@code n} (1, 2, 4 or 8) bytes at {@code p}. */
  private long value(long p, int n) throws IOException {
    long i = index(p, n);
    if (i < 0) {
      return straddling(p, n);
    }
    return switch (n) {
      case Byte.BYTES -> window.get(BYTE, i);
      case Short.BYTES -> window.get(LE_SHORT, i);
      case Integer.BYTES -> window.get(LE_INT, i);
      default -> window.get(LE_LONG, i);
    };
  }

  /** A little-endian value whose bytes lie in two windows (range already checked). */
  private long straddling(long p, int n) throws IOException {
    long value = 0;
    for (int k = 0; k < n; k++) {
      value |= (readByte(p + k) & 0xFFL) << (8 * k);
    }
    return value;
  }

  private void copyBytes(long p, byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      if (p < 0 || p > length) {
        index(p, 0); // throws the right exception
      }
      return;
    }
    long i = index(p, len);
    if (i >= 0) {
      MemorySegment.copy(window, BYTE, i, b, off, len);
      return;
    }
    long at = p;
    int done = 0;
    while (done < len) {
      long j = index(at, 1);
      int n = (int) Math.min(len - done, window.byteSize() - j);
      MemorySegment.copy(window, BYTE, j, b, off + done, n);
      done += n;
      at += n;
    }
  }

  // ------------------------------------------------------------ sequential reads

  @Override
  public final byte readByte() throws IOException {
    byte b = readByte(pos);
    pos++;
    return b;
  }

  @Override
  public final short readShort() throws IOException {
    short v = readShort(pos);
    pos += Short.BYTES;
    return v;
  }

  @Override
  public final int readInt() throws IOException {
    int v = readInt(pos);
    pos += Integer.BYTES;
    return v;
  }

  @Override
  public final long readLong() throws IOException {
    long v = readLong(pos);
    pos += Long.BYTES;
    return v;
  }

  @Override
  public final void readBytes(byte[] b, int off, int len) throws IOException {
    readBytes(pos, b, off, len);
    pos += len;
  }

  // Bulk reads copy from the window when the values lie in it. Otherwise (they straddle two
  // windows, or the window died) they read one value at a time, each with its own retries.

  @Override
  public final void readInts(int[] dst, int off, int len) throws IOException {
    if (!copyFromWindow(LE_INT, dst, off, len)) {
      super.readInts(dst, off, len);
    }
  }

  @Override
  public final void readLongs(long[] dst, int off, int len) throws IOException {
    if (!copyFromWindow(LE_LONG, dst, off, len)) {
      super.readLongs(dst, off, len);
    }
  }

  @Override
  public final void readFloats(float[] dst, int off, int len) throws IOException {
    if (!copyFromWindow(LE_FLOAT, dst, off, len)) {
      super.readFloats(dst, off, len);
    }
  }

  /**
   * Copies {@code len} values at the current position into {@code dst} if they lie in one window.
   *
   * @return false if nothing was read: they straddle two windows, or the window died and {@link
   *     #windowDied} allows another try
   */
  private boolean copyFromWindow(ValueLayout layout, Object dst, int off, int len)
      throws IOException {
    try {
      long bytes = len * layout.byteSize();
      long i = index(pos, bytes);
      if (i < 0) {
        return false;
      }
      MemorySegment.copy(window, layout, i, dst, off, len);
      pos += bytes;
      return true;
    } catch (IllegalStateException | NullPointerException e) {
      windowDied(e, 1);
      return false;
    } catch (InternalError e) {
      throw truncatedUnderneath(e);
    }
  }

  // ------------------------------------------------------------ clones and slices

  @Override
  public RegionIndexInput clone() {
    ensureOpen();
    RegionIndexInput clone = sameKind(toString(), offset, length);
    clone.pos = pos;
    clone.window = window;
    clone.windowStart = windowStart;
    clone.prefetchHits = prefetchHits;
    return clone;
  }

  @Override
  public final RegionIndexInput slice(String sliceDescription, long sliceOffset, long sliceLength) {
    ensureOpen();
    if (sliceOffset < 0 || sliceLength < 0 || sliceLength > length - sliceOffset) {
      throw new IllegalArgumentException(
          "slice(\""
              + sliceDescription
              + "\") out of bounds: offset="
              + sliceOffset
              + ", length="
              + sliceLength
              + ", input length="
              + length
              + ": "
              + this);
    }
    RegionIndexInput slice =
        sameKind(getFullSliceDescription(sliceDescription), offset + sliceOffset, sliceLength);
    slice.prefetchHits = prefetchHits;
    return slice;
  }

  /**
   * A zero-copy view of {@code len} bytes at {@code p}, or null if they straddle two windows; for
   * {@link LocalIndexInput#segmentSliceOrNull}.
   */
  final MemorySegment windowSliceOrNull(long p, long len) throws IOException {
    try {
      long i = index(p, len);
      return i >= 0 ? window.asSlice(i, len) : null;
    } catch (IllegalStateException | NullPointerException e) {
      throw alreadyClosed(e);
    } catch (InternalError e) {
      throw truncatedUnderneath(e);
    }
  }

  // ------------------------------------------------------------ hints

  /** Checks the range and hands it to {@link #prefetchRange}. */
  @Override
  public final void prefetch(long p, long len) throws IOException {
    ensureOpen();
    Objects.checkFromIndexSize(p, len, length);
    if (len == 0) {
      return;
    }
    try {
      prefetchRange(offset + p, len);
    } catch (IllegalStateException e) {
      throw alreadyClosed(e);
    }
  }

  /**
   * Asks the reader to prefetch [at, at + len) unless it reports the range loaded. Lucene
   * prefetches constantly while searching, and a check per prefetch would cost more than it saves
   * when the file is cached: after ranges are found loaded, the check is only repeated at every
   * power of two of consecutive hits, and a miss starts over.
   */
  final void prefetchUnlessLoaded(long at, long len) throws IOException {
    int hits = prefetchHits[0]++;
    if (hits != 0 && Integer.bitCount(hits) != 1) {
      return; // probably loaded: check again at the next power of two
    }
    if (!reader.isLoaded(at, len)) {
      prefetchHits[0] = 0;
      reader.prefetch(at, len);
    }
  }

  /** Whether every byte of this input is loaded (local: in memory, as the OS reports it). */
  @Override
  public final Optional<Boolean> isLoaded() {
    ensureOpen();
    try {
      return Optional.of(length == 0 || reader.isLoaded(offset, length));
    } catch (IOException e) {
      return Optional.empty();
    } catch (IllegalStateException e) {
      throw alreadyClosed(e);
    }
  }

  // ------------------------------------------------------------ closing

  /** Closes this input; closing the master closes the file for every clone and slice. */
  @Override
  public final void close() throws IOException {
    if (closed) {
      return;
    }
    if (!isClone) {
      reader.close(); // first: a read-once input refuses a close from another thread
    }
    closed = true;
    window = null;
  }
}
