package io.regionstore;

import io.regionstore.errors.StoreClosedException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An open, readable region, seen as a row of zero-copy <em>windows</em>: memory segments that each
 * hold a run of the region's bytes. A local {@link RegionReader}'s windows are its extents; a
 * remote reader's are the cached blocks of the region and the hot ranges of a packed file's front.
 * An input reads inside one window as long as it can and asks for the window of the next position
 * when it leaves it.
 *
 * <p>Windows may overlap; {@link #window} and {@link #windowStart} always describe the same window
 * for the same position. If {@link #windowsStayValid()} is false (a remote reader), a window can die
 * while the reader is open (its cache slot was evicted): every access to it then throws {@link
 * IllegalStateException}, and the caller asks for the window again. A window never shows bytes of
 * anything but this region. A thread that was reading a window at the moment it died may find its
 * interrupt status set by the JVM (HotSpot delivers the error that way); a caller that retries
 * should clear it first, or the retry's fetch fails with {@link java.io.InterruptedIOException}.
 *
 * <p>Thread-safe: any number of threads may use one reader.
 */
public interface ReadableRegion extends AutoCloseable {
  /** The region's name. */
  String name();

  /** The region's length in bytes. */
  long length();

  /**
   * The region offset at which the window holding {@code position} starts.
   *
   * @throws IndexOutOfBoundsException unless 0 &lt;= position &lt; length
   * @throws StoreClosedException if the reader is closed
   */
  long windowStart(long position) throws IOException;

  /**
   * The window holding {@code position}: a read-only view whose byte 0 is region offset {@link
   * #windowStart}. Fetches the bytes first if they are remote and not cached.
   *
   * @throws IndexOutOfBoundsException unless 0 &lt;= position &lt; length
   * @throws StoreClosedException if the reader is closed
   * @throws IOException if remote bytes cannot be fetched
   */
  MemorySegment window(long position) throws IOException;

  /**
   * Whether windows stay readable until the reader closes. False where a window can die earlier
   * (evicted from a cache); such windows must not be handed to code that cannot ask again.
   */
  boolean windowsStayValid();

  /**
   * Whether every byte of [position, position + length) can be read without I/O: resident in the
   * page cache (local) or cached (remote).
   */
  boolean isLoaded(long position, long length) throws IOException;

  /** Starts reading [position, position + length) in the background and returns at once. A hint. */
  void prefetch(long position, long length) throws IOException;

  /** Whether the reader is closed. */
  boolean isClosed();

  /** Closes the reader. Idempotent. */
  @Override
  void close();
}
