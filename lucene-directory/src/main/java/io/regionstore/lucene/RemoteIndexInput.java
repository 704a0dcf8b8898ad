package io.regionstore.lucene;

import io.regionstore.ReadableRegion;
import java.io.IOException;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ReadAdvice;

/**
 * An input over a remote region (a {@code RemoteRegionReader}), whose windows are cached blocks
 * and hot copies. A block's window dies when the cache evicts it, with the same {@link
 * IllegalStateException} as a closed one; then, if nothing is closed, the read drops the window
 * and tries again, which fetches the block again ({@link #MAX_ATTEMPTS} times in a row at most).
 * Because its windows can die while it is open, it hands out no zero-copy slices (it is no {@code
 * MemorySegmentAccessInput}). The read paths and the closing rules are {@link RegionIndexInput}'s.
 *
 * <p>Not thread-safe, as any {@link org.apache.lucene.store.IndexInput}: use one clone per thread.
 */
final class RemoteIndexInput extends RegionIndexInput {
  /** Reads of a remote file whose block the cache evicts this often in a row fail. */
  static final int MAX_ATTEMPTS = 8;

  private RemoteIndexInput(
      String description,
      ReadableRegion reader,
      boolean isClone,
      long offset,
      long length,
      ReadAdvice advice) {
    super(description, reader, isClone, offset, length, advice);
  }

  /** A master input over the whole region; it closes {@code reader} when closed. */
  static RemoteIndexInput open(String description, ReadableRegion reader, ReadAdvice advice) {
    return new RemoteIndexInput(description, reader, false, 0, reader.length(), advice);
  }

  @Override
  RemoteIndexInput sameKind(String description, long offset, long length) {
    return new RemoteIndexInput(description, reader, true, offset, length, readAdvice());
  }

  /**
   * A window died because the input closed (its views die with the reader; a closed clone drops
   * its window: the NPE) or because the cache evicted its block: then the window is dropped so
   * that the next attempt fetches the block again.
   *
   * @throws AlreadyClosedException if the input or its reader is closed
   * @throws IOException if the block was evicted on {@link #MAX_ATTEMPTS} attempts in a row (a
   *     cache far too small for the readers using it)
   */
  @Override
  void windowDied(RuntimeException e, int attempt) throws IOException {
    if (isClosed()) {
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
    dropWindow();
  }

  /**
   * Asks the cache to fetch the range in the background unless it is cached (checked sparingly,
   * see {@link #prefetchUnlessLoaded}).
   */
  @Override
  void prefetchRange(long at, long len) throws IOException {
    prefetchUnlessLoaded(at, len);
  }
}
