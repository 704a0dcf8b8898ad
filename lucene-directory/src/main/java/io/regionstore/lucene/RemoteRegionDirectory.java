package io.regionstore.lucene;

import io.regionstore.StoreClosedException;
import io.regionstore.cache.SlotCache;
import io.regionstore.remote.RemoteRegionReader;
import io.regionstore.remote.RemoteStore;
import io.regionstore.remote.RemoteStoreStats;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.BaseDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockFactory;
import org.apache.lucene.store.ReadAdvice;

/**
 * A read-only Lucene {@link Directory} on a packed store read where it lies (an HTTP server, a CDN,
 * an object store, or a local file) through a {@link RemoteStore}: only the blocks that searches
 * touch are fetched, into a {@link SlotCache}. Made by {@link RegionDirectory#openRemote}.
 *
 * <p>Opening a {@code DirectoryReader} reads what the packed file's hot section holds (the pack
 * recorded it), so it costs the one or two requests of opening the store and few or none more.
 * Inputs are {@link RegionIndexInput}s over {@link RemoteRegionReader}s: zero-copy views of cached
 * blocks, fetched again if evicted while read. A packed file never changes, so {@code
 * DirectoryReader.openIfChanged} finds nothing new; if the file is replaced on the server, reads
 * that miss the cache fail with {@link io.regionstore.remote.SourceChangedException}.
 *
 * <p>Every method that would write, and {@link #obtainLock}, throws {@link
 * UnsupportedOperationException}. Thread-safe. Closing the directory closes the store's source,
 * and the cache too if the directory opened it.
 */
public final class RemoteRegionDirectory extends BaseDirectory {
  private final RemoteStore store;
  private final SlotCache ownedCache;

  /**
   * @param store the store; owned by the directory from now on
   * @param ownedCache the store's cache if the directory is to close it, else null
   */
  RemoteRegionDirectory(RemoteStore store, SlotCache ownedCache) {
    super(new ReadOnlyLocks(store.description()));
    this.store = store;
    this.ownedCache = ownedCache;
  }

  @Override
  public String[] listAll() {
    ensureOpen();
    String[] names = store.list().toArray(new String[0]);
    Arrays.sort(names);
    return names;
  }

  @Override
  public long fileLength(String name) throws IOException {
    ensureOpen();
    return store.length(name);
  }

  /** Opens a file; makes no request (its blocks are fetched when read). */
  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    ensureOpen();
    try {
      return RegionIndexInput.open(
          "RegionIndexInput(remote=\"" + store.description() + "\", file=\"" + name + "\")",
          store.openReader(name),
          ReadAdvice.NORMAL);
    } catch (StoreClosedException e) {
      throw new AlreadyClosedException("this Directory is closed: " + this, e);
    }
  }

  /** Counters of the store (requests, bytes fetched) and of its cache (hits, misses, evictions). */
  public RemoteStoreStats stats() {
    ensureOpen();
    return store.stats();
  }

  @Override
  public Set<String> getPendingDeletions() {
    return Set.of();
  }

  @Override
  public void deleteFile(String name) {
    throw readOnly("delete \"" + name + "\"");
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) {
    throw readOnly("create \"" + name + "\"");
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) {
    throw readOnly("create a temporary file");
  }

  @Override
  public void sync(Collection<String> names) {
    throw readOnly("sync");
  }

  @Override
  public void syncMetaData() {
    throw readOnly("sync metadata");
  }

  @Override
  public void rename(String source, String dest) {
    throw readOnly("rename \"" + source + "\"");
  }

  @Override
  public synchronized void close() throws IOException {
    if (!isOpen) {
      return;
    }
    isOpen = false;
    try {
      store.close();
    } finally {
      if (ownedCache != null) {
        ownedCache.close();
      }
    }
  }

  @Override
  public String toString() {
    return "RemoteRegionDirectory@" + store.description();
  }

  private UnsupportedOperationException readOnly(String action) {
    return new UnsupportedOperationException(
        "cannot " + action + ": remote store " + store.description() + " is read-only");
  }

  /** Refuses every lock: nothing may write a remote store. */
  private static final class ReadOnlyLocks extends LockFactory {
    private final String description;

    ReadOnlyLocks(String description) {
      this.description = description;
    }

    @Override
    public Lock obtainLock(Directory dir, String lockName) {
      throw new UnsupportedOperationException(
          "cannot obtain lock \"" + lockName + "\": remote store " + description + " is read-only");
    }
  }
}
