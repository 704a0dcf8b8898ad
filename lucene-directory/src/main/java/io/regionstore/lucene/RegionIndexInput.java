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
import org.apache.lucene.store.MemorySegmentAccessInput;
import org.apache.lucene.store.ReadAdvice;

/**
 * Reads one file of a {@link RegionDirectory} (or a remote one) zero-copy from the windows of its
 * region, in the manner of Lucene's {@code MemorySegmentIndexInput}.
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
 * <p><b>Eviction.</b> A remote reader's block windows die when the cache evicts them, with the
 * same {@link IllegalStateException}; then, if nothing is closed, the read drops the window and
 * tries again, which fetches the block again ({@link #MAX_ATTEMPTS} times in a row at most).
 *
 * <p>Not thread-safe, as any {@link IndexInput}: use one clone per thread. Closing the master while
 * another thread reads a clone is safe (the read fails with {@link AlreadyClosedException}).
 */
final class RegionIndexInput extends IndexInput implements MemorySegmentAccessInput {
  private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort LE_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt LE_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LE_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat LE_FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final boolean CAN_PREFETCH = io.regionstore.mmap.MappedChunks.canPrefetch();
  private static final MemorySegment NO_WINDOW = MemorySegment.ofArray(new byte[0]);
  /** Reads of a remote file whose block the cache evicts this often in a row fail. */
  static final int MAX_ATTEMPTS = 8;

  private final ReadableRegion reader;
  private final boolean isClone;
  private final long offset;
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

  private RegionIndexInput(
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

  /** A master input over the whole region; it closes {@code reader} when closed. */
  static RegionIndexInput open(String description, ReadableRegion reader, ReadAdvice advice) {
    return new RegionIndexInput(description, reader, false, 0, reader.length(), advice);
  }

  /** The read advice this file was opened with (see {@link RegionDirectory}). */
  ReadAdvice readAdvice() {
    return advice;
  }

  // ------------------------------------------------------------ positioning

  @Override
  public long getFilePointer() {
    return pos;
  }

  @Override
  public void seek(long position) throws IOException {
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
  public long length() {
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

  private void ensureOpen() {
    if (closed || reader.isClosed()) {
      throw new AlreadyClosedException("already closed: " + this);
    }
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
  private AlreadyClosedException alreadyClosed(RuntimeException e) {
    return new AlreadyClosedException("already closed: " + this, e);
  }

  // ------------------------------------------------------------ positional reads
  //
  // Each read is a loop that normally runs once. A remote reader's window can die under it (its
  // cache block was evicted: IllegalStateException while nothing is closed); windowDied() then
  // drops the window so that the next pass fetches the block again.

  @Override
  public byte readByte(long p) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        long i = index(p, Byte.BYTES); // first: it may move the window
        return window.get(BYTE, i);
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }

  @Override
  public short readShort(long p) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        long i = index(p, Short.BYTES);
        return i >= 0 ? window.get(LE_SHORT, i) : (short) straddling(p, Short.BYTES);
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }

  @Override
  public int readInt(long p) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        long i = index(p, Integer.BYTES);
        return i >= 0 ? window.get(LE_INT, i) : (int) straddling(p, Integer.BYTES);
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }

  @Override
  public long readLong(long p) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        long i = index(p, Long.BYTES);
        return i >= 0 ? window.get(LE_LONG, i) : straddling(p, Long.BYTES);
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }

  /** A little-endian value whose bytes lie in two windows (range already checked). */
  private long straddling(long p, int n) throws IOException {
    long value = 0;
    for (int k = 0; k < n; k++) {
      value |= (readByte(p + k) & 0xFFL) << (8 * k);
    }
    return value;
  }

  @Override
  public void readBytes(long p, byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    for (int attempt = 1; ; attempt++) {
      try {
        copyBytes(p, b, off, len);
        return;
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
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

  /**
   * Handles an access to a dead window. A window dies when the master input closes (its views die
   * with the reader), when this clone or slice closes (its window is dropped: the NPE), or, for a
   * remote reader only, when its cache block is evicted: then the window is dropped so that the
   * caller's next attempt fetches the block again, up to {@link #MAX_ATTEMPTS} times in a row.
   *
   * @throws AlreadyClosedException if the input or its reader is closed
   * @throws IOException if the block was evicted on every attempt (a cache far too small for the
   *     readers using it)
   */
  private void windowDied(RuntimeException e, int attempt) throws IOException {
    if (closed || reader.isClosed() || reader.windowsStayValid()) {
      throw alreadyClosed(e);
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new IOException(
          "the cache evicted the block being read " + attempt + " times in a row: " + this, e);
    }
    // HotSpot tells a thread that an arena it was reading was closed under it by an asynchronous
    // exception, and sets the thread's interrupt status to deliver it (seen in about 2% of such
    // races on JDK 25). The status is the eviction's, not a caller's: left set, it would fail the
    // fetch the retry makes with InterruptedIOException. Lucene does not use interrupts to stop
    // searches (they break NIO channels), so a real interrupt lost here costs nothing it relies on.
    Thread.interrupted();
    window = NO_WINDOW;
    windowStart = 0;
  }

  // ------------------------------------------------------------ sequential reads

  @Override
  public byte readByte() throws IOException {
    byte b = readByte(pos);
    pos++;
    return b;
  }

  @Override
  public short readShort() throws IOException {
    short v = readShort(pos);
    pos += Short.BYTES;
    return v;
  }

  @Override
  public int readInt() throws IOException {
    int v = readInt(pos);
    pos += Integer.BYTES;
    return v;
  }

  @Override
  public long readLong() throws IOException {
    long v = readLong(pos);
    pos += Long.BYTES;
    return v;
  }

  @Override
  public void readBytes(byte[] b, int off, int len) throws IOException {
    readBytes(pos, b, off, len);
    pos += len;
  }

  @Override
  public void readInts(int[] dst, int off, int len) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        if (!copyFromWindow(LE_INT, dst, off, len)) {
          super.readInts(dst, off, len); // one at a time across the window boundary
        }
        return;
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }


  @Override
  public void readLongs(long[] dst, int off, int len) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        if (!copyFromWindow(LE_LONG, dst, off, len)) {
          super.readLongs(dst, off, len); // one at a time across the window boundary
        }
        return;
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }


  @Override
  public void readFloats(float[] dst, int off, int len) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        if (!copyFromWindow(LE_FLOAT, dst, off, len)) {
          super.readFloats(dst, off, len); // one at a time across the window boundary
        }
        return;
      } catch (IllegalStateException | NullPointerException e) {
        windowDied(e, attempt);
      } catch (InternalError e) {
        throw truncatedUnderneath(e);
      }
    }
  }


  /**
   * Copies {@code len} values at the current position into {@code dst} if they lie in one extent.
   *
   * @return false if they straddle two extents (nothing was read)
   */
  private boolean copyFromWindow(ValueLayout layout, Object dst, int off, int len) throws IOException {
    long bytes = len * layout.byteSize();
    long i = index(pos, bytes);
    if (i < 0) {
      return false;
    }
    MemorySegment.copy(window, layout, i, dst, off, len);
    pos += bytes;
    return true;
  }

  // ------------------------------------------------------------ clones and slices

  @Override
  public RegionIndexInput clone() {
    ensureOpen();
    RegionIndexInput clone =
        new RegionIndexInput(toString(), reader, true, offset, length, advice);
    clone.pos = pos;
    clone.window = window;
    clone.windowStart = windowStart;
    clone.prefetchHits = prefetchHits;
    return clone;
  }

  @Override
  public RegionIndexInput slice(String sliceDescription, long sliceOffset, long sliceLength) {
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
        new RegionIndexInput(
            getFullSliceDescription(sliceDescription), reader, true, offset + sliceOffset, sliceLength, advice);
    slice.prefetchHits = prefetchHits;
    return slice;
  }

  /**
   * A zero-copy view of {@code len} bytes at {@code p}, or null if they straddle two windows. The
   * view dies with the master input, like every view of this file. Null for a remote file: its
   * windows can die while the input is open (evicted), which Lucene's users of this view could not
   * recover from.
   */
  @Override
  public MemorySegment segmentSliceOrNull(long p, long len) throws IOException {
    if (!reader.windowsStayValid()) {
      return null;
    }
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

  /**
   * Asks the OS to read the range ahead ({@code madvise(MADV_WILLNEED)}, which does not split the
   * store's shared chunk mapping) if it is not in memory already. Lucene prefetches constantly
   * while searching, and a system call per prefetch would cost more than it saves when the index
   * is cached: after pages are found resident, the check ({@code mincore}) is only repeated at
   * every power of two of consecutive hits, and a miss starts over. Does nothing where native
   * access is not enabled.
   */
  @Override
  public void prefetch(long p, long len) throws IOException {
    ensureOpen();
    Objects.checkFromIndexSize(p, len, length);
    if (len == 0 || (!CAN_PREFETCH && reader.windowsStayValid())) { // remote: the cache prefetches
      return;
    }
    int hits = prefetchHits[0]++;
    if (hits != 0 && Integer.bitCount(hits) != 1) {
      return; // probably cached: check again at the next power of two
    }
    try {
      if (!reader.isLoaded(offset + p, len)) {
        prefetchHits[0] = 0;
        reader.prefetch(offset + p, len);
      }
    } catch (IllegalStateException e) {
      throw alreadyClosed(e);
    }
  }

  /** Whether every page of this input is in memory, as the OS reports it. */
  @Override
  public Optional<Boolean> isLoaded() {
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
  public void close() throws IOException {
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
