package io.regionstore.lucene;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.StoreClosedException;
import io.regionstore.remote.RangeSource;
import io.regionstore.remote.RangeSourceOpener;
import io.regionstore.remote.RemoteRegionReader;
import io.regionstore.remote.RemoteStore;
import io.regionstore.remote.RemoteStoreStats;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
 * touch are fetched, into a {@link SlotCache}. Opened by {@link #open}.
 *
 * <p>Opening a {@code DirectoryReader} reads what the packed file's hot section holds (the pack
 * recorded it), so it costs the requests of opening the store (2 or 3) and few or none more.
 * Inputs are {@link RemoteIndexInput}s over {@link RemoteRegionReader}s: zero-copy views of cached
 * blocks, fetched again if evicted while read.
 *
 * <p><b>New versions.</b> A packed file never changes, but a new one may be published at the same
 * place. {@link #listAll()} asks the server whether it has ({@link RemoteStore#refresh()}: one
 * request, two or three more when there is a new version), so {@code DirectoryReader.open} and
 * {@code openIfChanged} see the newest version, as on a local read-only {@link RegionDirectory};
 * but at most once per {@linkplain #setLookInterval look interval} (1 s by default), because Lucene
 * lists the files twice per open and per {@code openIfChanged}. A file not found by {@link
 * #fileLength} or {@link #openInput} is looked up once more after a refresh, whatever the
 * interval. Files of the new version whose content is unchanged keep their cached blocks. Inputs
 * opened before keep reading their version: cached blocks serve; a block not cached of a file the
 * new version still has unchanged (as the segments {@code openIfChanged} reuses) is fetched from the
 * new version; of any other file it fails with {@link
 * io.regionstore.remote.SourceChangedException} naming the URL, never returning other bytes. A
 * directory opened on a bare {@link io.regionstore.remote.RangeSource} cannot
 * look again and stays on its version.
 *
 * <p>Every method that would write, and {@link #obtainLock}, throws {@link
 * UnsupportedOperationException}. Thread-safe. Closing the directory closes the store's source,
 * and the cache too if the directory opened it.
 */
public final class RemoteRegionDirectory extends BaseDirectory {
  /** How long {@link #listAll()} trusts the last look for a new version, by default. */
  public static final Duration DEFAULT_LOOK_INTERVAL = Duration.ofSeconds(1);

  private final RemoteStore store;
  private final SlotCache ownedCache;
  private volatile long lookIntervalNanos = DEFAULT_LOOK_INTERVAL.toNanos();
  /** When the store last looked for a new version (or opened), in {@link System#nanoTime()}. */
  private volatile long lastLook = System.nanoTime();

  /**
   * Opens a packed store ({@link RegionDirectory#pack}) where it lies, read-only: {@code http(s)} URLs with
   * {@code Range} requests, or a {@code file} URI, reading through {@code cache}, which may be
   * shared with other remote directories and is not closed with this one. The directory follows
   * new versions published at {@code uri} ({@link #listAll()}).
   */
  public static RemoteRegionDirectory open(URI uri, SlotCache cache) throws IOException {
    return new RemoteRegionDirectory(RemoteStore.open(uri, cache), null);
  }

  /**
   * Opens a packed store read-only through {@code source} (owned by the directory from now on),
   * reading through {@code cache}, which is not closed with the directory. The directory stays on
   * the version {@code source} is bound to: use {@link #open(RangeSourceOpener, SlotCache)}
   * to follow new versions.
   */
  public static RemoteRegionDirectory open(RangeSource source, SlotCache cache)
      throws IOException {
    return new RemoteRegionDirectory(RemoteStore.open(source, cache), null);
  }

  /**
   * Opens a packed store read-only through the sources {@code opener} opens (one now, one per
   * look for a new version), reading through {@code cache}, which is not closed with the
   * directory.
   */
  public static RemoteRegionDirectory open(RangeSourceOpener opener, SlotCache cache)
      throws IOException {
    return new RemoteRegionDirectory(RemoteStore.open(opener, cache), null);
  }

  /**
   * Opens a packed store at {@code uri} read-only with a cache of its own in {@code cacheFolder},
   * closed with the directory (a persistent cache keeps its file for the next open).
   */
  public static RemoteRegionDirectory open(URI uri, Path cacheFolder, CacheOptions options)
      throws IOException {
    SlotCache cache = SlotCache.open(cacheFolder, options);
    try {
      return new RemoteRegionDirectory(RemoteStore.open(uri, cache), cache);
    } catch (IOException | RuntimeException e) {
      cache.close();
      throw e;
    }
  }

  /**
   * @param store the store; owned by the directory from now on
   * @param ownedCache the store's cache if the directory is to close it, else null
   */
  RemoteRegionDirectory(RemoteStore store, SlotCache ownedCache) {
    super(new ReadOnlyLocks(store.description()));
    this.store = store;
    this.ownedCache = ownedCache;
  }

  /**
   * The files of the newest version: first looks for a new one (a request), if the store can and
   * the last look is older than the look interval.
   */
  @Override
  public String[] listAll() throws IOException {
    ensureOpen();
    if (System.nanoTime() - lastLook >= lookIntervalNanos) {
      refresh();
    }
    String[] names = store.list().toArray(new String[0]);
    Arrays.sort(names);
    return names;
  }

  @Override
  public long fileLength(String name) throws IOException {
    ensureOpen();
    return afterRefreshIfMissing(() -> store.length(name));
  }

  /** Opens a file; makes no request (its blocks are fetched when read). */
  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    ensureOpen();
    try {
      return RemoteIndexInput.open(
          "RegionIndexInput(remote=\"" + store.description() + "\", file=\"" + name + "\")",
          afterRefreshIfMissing(() -> store.openReader(name)),
          ReadAdvice.NORMAL);
    } catch (StoreClosedException e) {
      throw new AlreadyClosedException("this Directory is closed: " + this, e);
    }
  }

  /** A lookup by name, tried once more after moving to a new version if the name is not found. */
  private <T> T afterRefreshIfMissing(Lookup<T> lookup) throws IOException {
    try {
      return lookup.get();
    } catch (NoSuchRegionException e) {
      if (refresh()) {
        return lookup.get();
      }
      throw e;
    }
  }

  private interface Lookup<T> {
    T get() throws IOException;
  }

  /**
   * Sets how long {@link #listAll()} trusts the last look for a new version ({@link
   * #DEFAULT_LOOK_INTERVAL} unless set): {@link Duration#ZERO} looks at every call, so that {@code
   * DirectoryReader.openIfChanged} sees a version published a moment ago; a longer interval saves
   * a request per call. Thread-safe.
   *
   * @throws IllegalArgumentException if {@code interval} is negative
   */
  public void setLookInterval(Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("negative look interval " + interval + ": " + this);
    }
    lookIntervalNanos = interval.toNanos();
  }

  /** Moves to a new version if the store can and there is one; whether it moved. */
  private boolean refresh() throws IOException {
    try {
      lastLook = System.nanoTime();
      return store.canRefresh() && store.refresh();
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
