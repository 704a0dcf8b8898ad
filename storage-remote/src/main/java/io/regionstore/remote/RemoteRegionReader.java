package io.regionstore.remote;

import io.regionstore.ReadableRegion;
import io.regionstore.cache.CachedBlock;
import io.regionstore.cache.CachedContent;
import io.regionstore.cache.FetchFailedException;
import io.regionstore.errors.StoreClosedException;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Reads one region of a {@link RemoteStore}. Its windows are hot copies from the packed file's
 * front, where one holds the position, and otherwise the region's cached blocks ({@code blockSize}
 * bytes each, the last one shorter), fetched on a miss. A miss that enters a block at its first
 * byte (a reader going forward) reads ahead: the request also brings as many following blocks as
 * are cached right before it, up to the cache's {@code maxReadAhead} ({@link
 * io.regionstore.cache.CachedContent#pinReadingAhead}); any other miss fetches its block alone.
 *
 * <p>A block window is pinned only while it is looked up: afterwards the cache may evict it, and
 * then every access to it throws {@link IllegalStateException} (so {@link #windowsStayValid()} is
 * false): ask for the window again, which fetches the block again. Hot windows live as long as the
 * store. A fetch that fails throws an {@link IOException} naming the region, the position and the
 * source; if the file was replaced on the server, a {@link SourceChangedException}.
 *
 * <p>A reader reads the version of the file that was current when it was opened, also after its
 * store moved to a newer one ({@link RemoteStore#refresh()}): cached blocks and hot copies keep
 * serving. A block no longer cached is fetched from the newest version the store knows if that
 * version holds the region's exact content (same name, SHA-256 and length); otherwise the fetch
 * fails with {@link SourceChangedException} once the server has a new version.
 *
 * <p>Closing the reader makes its methods throw {@link StoreClosedException}; windows handed out
 * before stay readable until their blocks are evicted, and never show other bytes.
 *
 * <p>Thread-safe.
 */
public final class RemoteRegionReader implements ReadableRegion {
  private final RemoteStore store;
  private final StoreVersion version;
  private final PackedRegion region;
  private final CachedContent content;
  private final HotWindows hot;
  private final int blockShift;
  private final long blockMask;
  private volatile boolean closed;

  RemoteRegionReader(RemoteStore store, StoreVersion version, PackedRegion region, CachedContent content) {
    this.store = store;
    this.version = version;
    this.region = region;
    this.content = content;
    this.hot = version.hotWindows(region);
    this.blockShift = Integer.numberOfTrailingZeros(content.blockSize());
    this.blockMask = content.blockSize() - 1;
  }

  @Override
  public String name() {
    return region.name();
  }

  @Override
  public long length() {
    return region.length();
  }

  @Override
  public long windowStart(long position) {
    checkPosition(position);
    int h = hot.find(position, 1);
    return h >= 0 ? hot.start(h) : (position >>> blockShift) << blockShift;
  }

  @Override
  public MemorySegment window(long position) throws IOException {
    checkPosition(position);
    int h = hot.find(position, 1);
    if (h >= 0) {
      return hot.window(h);
    }
    CachedBlock block;
    try {
      long index = position >>> blockShift;
      // A read that enters a block at its first byte is a reader going forward from the block
      // before (a seek lands there by chance once in blockSize): read ahead. Any other entry is a
      // seek, which fetches only its block.
      block = (position & blockMask) == 0 ? content.pinReadingAhead(index) : content.pin(index);
    } catch (FetchFailedException e) {
      throw fetchFailed(position, e);
    }
    MemorySegment view = block.segment();
    block.unpin();
    return view;
  }

  @Override
  public boolean windowsStayValid() {
    return false;
  }

  /** Whether [position, position + length) lies in a hot copy or in blocks cached now. */
  @Override
  public boolean isLoaded(long position, long length) {
    checkRange(position, length);
    if (length == 0 || hot.find(position, length) >= 0) {
      return true;
    }
    for (long b = position >>> blockShift; b <= (position + length - 1) >>> blockShift; b++) {
      if (!content.isCached(b)) {
        return false;
      }
    }
    return true;
  }

  /** Starts fetching the blocks of [position, position + length) that are not cached. */
  @Override
  public void prefetch(long position, long length) {
    checkRange(position, length);
    if (length == 0 || hot.find(position, length) >= 0) {
      return;
    }
    long first = position >>> blockShift;
    long last = (position + length - 1) >>> blockShift;
    content.prefetch(first, (int) Math.min(last - first + 1, Integer.MAX_VALUE));
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      store.readerClosed(version);
    }
  }

  @Override
  public String toString() {
    return "RemoteRegionReader(" + region.name() + " of " + version.source.description() + ")";
  }

  private IOException fetchFailed(long position, FetchFailedException e) {
    String where = "region \"" + region.name() + "\" at offset " + position + " of " + version.source.description();
    if (e.getCause() instanceof SourceChangedException changed) {
      SourceChangedException again =
          new SourceChangedException(version.source.description(), changed.expectedVersion(), changed.actualVersion());
      again.initCause(e);
      return again;
    }
    return new IOException("cannot read " + where + ": " + e.getCause(), e);
  }

  private void checkPosition(long position) {
    ensureOpen();
    if (position < 0 || position >= region.length()) {
      throw new IndexOutOfBoundsException(
          "position " + position + " outside region \"" + region.name() + "\" of " + region.length()
              + " bytes");
    }
  }

  private void checkRange(long position, long length) {
    ensureOpen();
    if (position < 0 || length < 0 || position > region.length() - length) {
      throw new IndexOutOfBoundsException(
          "range [" + position + ", " + (position + length) + ") outside region \"" + region.name()
              + "\" of " + region.length() + " bytes");
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreClosedException("reader of region \"" + region.name() + "\" is closed");
    }
    store.ensureOpen();
  }
}
