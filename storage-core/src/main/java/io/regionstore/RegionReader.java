package io.regionstore;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.errors.StoreClosedException;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Zero-copy read access to one sealed region.
 *
 * <p>A region is a list of extents, each inside one mapped chunk of the data file. Each extent is
 * exposed as a {@link MemorySegment} view into the mapping, resolved on first use and cached; the
 * views are scoped to this reader, so once the reader is closed every view (and every copy a
 * caller kept) throws {@link IllegalStateException} on access instead of reading space that may
 * since have been reused. Opening a reader makes no system call and copies nothing.
 *
 * <p>While a reader is open the region's space is not reused, even if the region is deleted or
 * renamed: it keeps reading the bytes it was opened on (POSIX unlink semantics).
 *
 * <p><b>Groups.</b> A reader opened with a group key ({@link RegionStore#openReader(String,
 * String)}) shares its views' lifetime with the other readers of that group: closing it stops the
 * reader at once (its methods throw {@link StoreClosedException}), but views already handed out
 * stay readable, and the region's space stays unreused, until the last reader of the group
 * closes; then every view of the group dies at once. Closing a view scope costs the JVM a
 * handshake with every thread, so a group of files opened and closed together (a Lucene segment)
 * pays it once instead of once per file.
 *
 * <p>Thread-safe: any number of threads may read concurrently. Reads racing {@link #close} fail
 * with {@link StoreClosedException}; they never return bytes of another region. A <em>confined</em>
 * reader ({@link RegionStore#openConfinedReader}) is the exception: only the thread that opened it
 * may read its views (others get {@link WrongThreadException}) or close it; in exchange its close
 * costs no handshake.
 *
 * <p>If another process truncates the data file under a live reader, {@link #read} and {@link
 * #readByte} fail with {@link CorruptStoreException}. Direct accesses to a view from {@link
 * #extent} then raise the JDK's {@code InternalError} ("a fault occurred in an unsafe memory access
 * operation"), which HotSpot may deliver at a later instruction of the accessing thread; the JVM
 * does not crash.
 */
public final class RegionReader implements ReadableRegion {
  private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
  private static final VarHandle VIEWS = MethodHandles.arrayElementVarHandle(MemorySegment[].class);

  private final RegionStore store;
  private final String name;
  private final Region region;
  private final long length;
  private final long[] starts;
  private final MemorySegment[] views;
  /** The scope of the views: this reader's own, or its group's. */
  private final Arena arena;
  /** The group this reader belongs to, or null if it owns {@link #arena}. */
  private final ReaderGroup group;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The only thread that may read and close this reader, or null if any thread may. */
  private final Thread owner;

  /**
   * A reader that owns its views' scope ({@code group} null) or shares its group's; or, if {@code
   * confined}, one confined to the calling thread.
   */
  RegionReader(RegionStore store, String name, Region region, ReaderGroup group, boolean confined) {
    this.store = store;
    this.name = name;
    this.region = region;
    this.group = group;
    this.owner = confined ? Thread.currentThread() : null;
    this.arena = confined ? Arena.ofConfined() : group == null ? Arena.ofShared() : group.arena();
    this.length = region.length();
    int count = region.extents.length / 2;
    this.starts = new long[count];
    long start = 0;
    for (int i = 0; i < count; i++) {
      starts[i] = start;
      start += region.extents[2 * i + 1];
    }
    this.views = new MemorySegment[count];
  }

  /** The name the region had when this reader was opened. */
  @Override
  public String name() {
    return name;
  }

  /** The region's length in bytes. */
  @Override
  public long length() {
    return length;
  }

  /** How many extents (and so memory segments) the region spans. */
  public int extentCount() {
    return starts.length;
  }

  /** The region offset where extent {@code index} starts. */
  public long extentStart(int index) {
    return starts[index];
  }

  /** The index of the extent holding region offset {@code position} (0 &lt;= position &lt; length). */
  public int extentIndex(long position) {
    if (position < 0 || position >= length) {
      throw new IndexOutOfBoundsException(
          "position " + position + " outside region \"" + name + "\" of " + length + " bytes");
    }
    int i = Arrays.binarySearch(starts, position);
    return i >= 0 ? i : -i - 2;
  }

  /**
   * The view of extent {@code index}: its bytes that belong to the region (the last extent's
   * alignment padding is cut off).
   *
   * @throws StoreClosedException if this reader is closed
   */
  public MemorySegment extent(int index) throws IOException {
    checkOpen(); // a group member's cached views outlive its close
    MemorySegment view = (MemorySegment) VIEWS.getAcquire(views, index);
    if (view == null) {
      view = resolve(index);
    }
    return view;
  }

  /**
   * A zero-copy view of {@code length} bytes at {@code position}, or null if they span more than
   * one extent (read them with {@link #read} instead).
   *
   * @throws EOFException if the range is not inside the region
   */
  public MemorySegment slice(long position, long length) throws IOException {
    checkRange(position, length);
    if (length == 0) {
      return EMPTY;
    }
    int i = extentIndex(position);
    long within = position - starts[i];
    MemorySegment view = extent(i);
    if (within + length > view.byteSize()) {
      return null;
    }
    return view.asSlice(within, length);
  }

  /** The start of the extent holding {@code position}: a local reader's windows are its extents. */
  @Override
  public long windowStart(long position) {
    return starts[extentIndex(position)];
  }

  /** The extent holding {@code position}, as {@link #extent}. */
  @Override
  public MemorySegment window(long position) throws IOException {
    return extent(extentIndex(position));
  }

  /** True: a local reader's views live until it closes. */
  @Override
  public boolean windowsStayValid() {
    return true;
  }

  /**
   * Reads one byte.
   *
   * @throws EOFException if {@code position} is not inside the region
   */
  public byte readByte(long position) throws IOException {
    checkRange(position, 1);
    int i = extentIndex(position);
    try {
      return extent(i).get(ValueLayout.JAVA_BYTE, position - starts[i]);
    } catch (IllegalStateException e) {
      throw closedDuringRead(e);
    } catch (InternalError e) {
      throw tampered(position, e);
    }
  }

  /**
   * Copies {@code len} bytes at {@code position} into {@code dst}.
   *
   * @throws EOFException if the range is not inside the region
   */
  public void read(long position, byte[] dst, int offset, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(offset, len, dst.length);
    checkRange(position, len);
    long pos = position;
    int done = 0;
    try {
      while (done < len) {
        int i = extentIndex(pos);
        MemorySegment view = extent(i);
        long within = pos - starts[i];
        int n = (int) Math.min(len - done, view.byteSize() - within);
        MemorySegment.copy(view, ValueLayout.JAVA_BYTE, within, dst, offset + done, n);
        done += n;
        pos += n;
      }
    } catch (IllegalStateException e) {
      throw closedDuringRead(e);
    } catch (InternalError e) {
      throw tampered(pos, e);
    }
  }

  /**
   * Whether every page of [position, position + length) is in memory, as the OS reports it.
   *
   * @throws EOFException if the range is not inside the region
   */
  @Override
  public boolean isLoaded(long position, long length) throws IOException {
    boolean[] loaded = {true};
    forEachFileRange(position, length, (offset, n) -> loaded[0] &= store.chunks().isLoaded(offset, n));
    return loaded[0];
  }

  /**
   * Reads [position, position + length) into memory now (for preloading).
   *
   * @throws EOFException if the range is not inside the region
   */
  public void load(long position, long length) throws IOException {
    forEachFileRange(position, length, (offset, n) -> store.chunks().load(offset, n));
  }

  /**
   * Asks the OS to read [position, position + length) ahead ({@code madvise(MADV_WILLNEED)}) and
   * returns at once. Does nothing where native access is not enabled. Unlike other advice, it does
   * not split the store's shared mappings.
   *
   * @throws EOFException if the range is not inside the region
   */
  @Override
  public void prefetch(long position, long length) throws IOException {
    forEachFileRange(position, length, (offset, n) -> store.chunks().prefetch(offset, n));
  }

  @FunctionalInterface
  private interface FileRangeAction {
    void apply(long fileOffset, long length) throws IOException;
  }

  /** Calls {@code action} for the part of [position, position + len) in each extent. */
  private void forEachFileRange(long position, long len, FileRangeAction action) throws IOException {
    checkRange(position, len);
    long pos = position;
    long end = position + len;
    try {
      while (pos < end) {
        int i = extentIndex(pos);
        long within = pos - starts[i];
        long n = Math.min(end - pos, Math.min(region.extents[2 * i + 1], length - starts[i]) - within);
        action.apply(region.extents[2 * i] + within, n);
        pos += n;
      }
    } catch (IllegalStateException e) {
      throw closedDuringRead(e);
    }
  }

  /** Whether this reader is closed. */
  @Override
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Closes the reader: its views die, and if the region was deleted and this was its last reader,
   * its space is handed back. In a group, both happen when the last reader of the group closes.
   * Idempotent.
   *
   * @throws WrongThreadException if this reader is confined and this is not the thread that opened
   *     it (the reader stays open)
   */
  @Override
  public void close() {
    if (owner != null) {
      closeConfined();
      return;
    }
    if (closed.compareAndSet(false, true)) {
      store.readerClosed(this);
      if (group == null) {
        arena.close();
        store.readerReleased(region);
      } else {
        for (Region released : group.left(region)) {
          store.readerReleased(released);
        }
      }
    }
  }

  /**
   * Closes a confined reader on its own thread: closing a confined scope needs no handshake. After
   * the store stopped it from another thread ({@link #closeForStore}), this still closes its views.
   */
  private void closeConfined() {
    if (Thread.currentThread() != owner) {
      throw new WrongThreadException(
          "reader of region \"" + name + "\" can only be closed by the thread that opened it ("
              + owner.getName() + ")");
    }
    if (closed.compareAndSet(false, true)) {
      store.readerClosed(this);
    }
    if (arena.scope().isAlive()) {
      arena.close();
      store.readerReleased(region);
      store.confinedReaderReleased();
    }
  }

  /**
   * Closes the reader as the store closes. A confined reader of another thread is only stopped (its
   * methods throw); its views, which only its thread can use, live until that thread closes it, and
   * the store keeps its mappings until then.
   */
  void closeForStore() {
    if (owner == null || Thread.currentThread() == owner) {
      close();
    } else if (closed.compareAndSet(false, true)) {
      store.readerClosed(this);
    }
  }

  /** Whether this reader is confined to the thread that opened it. */
  public boolean isConfined() {
    return owner != null;
  }

  private MemorySegment resolve(int index) throws IOException {
    long viewLength = Math.min(region.extents[2 * index + 1], length - starts[index]);
    MemorySegment view;
    try {
      view = store.mappedView(region.extents[2 * index], viewLength).reinterpret(arena, null);
    } catch (IllegalStateException e) {
      throw closedDuringRead(e);
    }
    VIEWS.setRelease(views, index, view);
    return view;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StoreClosedException("reader of region \"" + name + "\" is closed");
    }
  }

  private void checkRange(long position, long len) throws IOException {
    checkOpen();
    if (position < 0 || len < 0 || position > length - len) {
      throw new EOFException(
          "read of "
              + len
              + " bytes at position "
              + position
              + " is past the end of region \""
              + name
              + "\" ("
              + length
              + " bytes)");
    }
  }

  /**
   * The JDK reports a fault on a mapped page (SIGBUS: the file was truncated under the mapping by
   * someone else) as an InternalError from the access.
   */
  private CorruptStoreException tampered(long position, InternalError e) {
    CorruptStoreException c =
        new CorruptStoreException(
            store.data.path(),
            -1,
            "the data file was truncated or damaged under a live reader of region \"" + name
                + "\" (read at region position " + position + ")");
    c.initCause(e);
    return c;
  }

  private StoreClosedException closedDuringRead(IllegalStateException e) {
    return new StoreClosedException("reader of region \"" + name + "\" was closed during a read", e);
  }
}
