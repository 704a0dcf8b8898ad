package io.regionstore.remote;

import io.regionstore.cache.SlotCache;
import io.regionstore.errors.CorruptStoreException;
import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.StoreClosedException;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A packed store file read where it lies, through a {@link RangeSource} (a local file or an HTTP
 * URL), fetching only the blocks that reads touch into a shared {@link SlotCache}.
 *
 * <p><b>Open</b> costs one request, or two when the front section is longer than {@link
 * PackFormat#FIRST_WINDOW}: the first window tells the front's length, the second request brings
 * the rest. The front (header, catalog, hot copies) is then checked as any packed file is ({@link
 * PackedFileReader}) and kept in memory: reads inside a hot range (what a Lucene reader reads when
 * it opens, and small files whole) are served from it without a request.
 *
 * <p><b>Reads</b> go through {@link RemoteRegionReader}s. Blocks are cached under the region's
 * content identity (its SHA-256 and length) scoped to the source, so a re-packed file at the same
 * place finds the blocks of its unchanged regions again, and one source's claims never decide what
 * another source's reads return (see {@link #cacheKey}).
 *
 * <p><b>Versions.</b> The store reads one version of the file at a time, the one its source was
 * opened on, until {@link #refresh()} finds a new one and moves to it (a store opened on a URI or
 * with a {@link RangeSourceOpener} can; one opened on a bare {@link RangeSource} cannot). A reader
 * keeps the version it was opened on: its reads are served from the cache and that version's hot
 * copies, and a fetch after the file was replaced fails with {@link SourceChangedException} (naming
 * the source and both versions), unless the store has moved to a version holding the region's
 * exact content (same name, SHA-256 and length), which then serves the fetch; nothing of another
 * content is ever returned. After a refresh,
 * regions whose content (SHA-256 and length) is unchanged find their cached blocks again; blocks of
 * regions that are gone are no longer pinned by anything once their readers close, so the cache's
 * eviction reuses them first among equals (the cache has no explicit release).
 *
 * <p>Untrusted input: the file gets every check a local store gets, and a front longer than {@link
 * #MAX_FRONT_LENGTH} is refused before anything is allocated for it.
 *
 * <p>Thread-safe. The store owns its sources (closing the store closes them) but not the cache.
 */
public final class RemoteStore implements AutoCloseable {
  /** Largest front section a remote store reads (it holds the catalog and the hot copies). */
  public static final long MAX_FRONT_LENGTH = 256L << 20;

  private final RangeSourceOpener opener;
  private final SlotCache cache;
  private volatile StoreVersion current;
  /** Versions whose source is open: the current one and retired ones with readers. */
  private final Set<StoreVersion> live = ConcurrentHashMap.newKeySet();
  private final LongAdder bytesFetched = new LongAdder();
  /** Requests of the sources closed so far (probes of unchanged versions included). */
  private final LongAdder closedRequests = new LongAdder();
  private volatile boolean closed;

  private RemoteStore(RangeSourceOpener opener, SlotCache cache) {
    this.opener = opener;
    this.cache = cache;
  }

  /**
   * Opens the packed file behind {@code source}, reading and checking its front. The store cannot
   * {@link #refresh()}: it has no way to open the file again.
   *
   * @param source the packed file; owned by the store from now on (closed with it, or at once if
   *     open fails)
   * @param cache where blocks are cached; shared, not owned
   * @throws CorruptStoreException naming the source and offset if the file is not a valid packed
   *     store, or declares a front longer than {@link #MAX_FRONT_LENGTH}
   * @throws SourceChangedException if the file was replaced while the front was read
   */
  public static RemoteStore open(RangeSource source, SlotCache cache) throws IOException {
    return open(source, null, cache);
  }

  /**
   * Opens the packed file that {@code opener} opens, reading and checking its front; {@link
   * #refresh()} calls the opener again to look for a new version.
   *
   * @throws CorruptStoreException as {@link #open(RangeSource, SlotCache)}
   * @throws SourceChangedException if the file was replaced while the front was read
   * @throws IOException what the opener throws
   */
  public static RemoteStore open(RangeSourceOpener opener, SlotCache cache) throws IOException {
    if (opener == null) {
      throw new NullPointerException("opener");
    }
    return open(opener.open(), opener, cache);
  }

  /**
   * Opens the packed file at {@code uri} through the {@link RangeSourceProvider} of its scheme
   * ({@link RangeSources}): built in, {@code http} and {@code https} through an {@link
   * HttpRangeSource} with default options and {@code file} through a {@link FileRangeSource};
   * {@code s3} with the module {@code storage-s3} on the class path. The store can {@link
   * #refresh()}.
   *
   * @throws IllegalArgumentException for a scheme no provider handles (naming the module to add
   *     where it is one of this project's)
   * @see #open(RangeSource, SlotCache)
   */
  public static RemoteStore open(URI uri, SlotCache cache) throws IOException {
    return open(RangeSources.opener(uri), cache);
  }

  private static RemoteStore open(RangeSource source, RangeSourceOpener opener, SlotCache cache)
      throws IOException {
    RemoteStore store = new RemoteStore(opener, cache);
    StoreVersion version = store.readVersion(source);
    store.current = version;
    store.live.add(version);
    return store;
  }

  /** Reads the front behind a source just opened; closes the source if that fails. */
  private StoreVersion readVersion(RangeSource source) throws IOException {
    try {
      return StoreVersion.read(this, source);
    } catch (IOException | RuntimeException e) {
      try {
        sourceClosed(source);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Whether {@link #refresh()} can look for new versions (the store was not opened on a bare source). */
  public boolean canRefresh() {
    return opener != null;
  }

  /**
   * Looks for a new version of the file and moves to it. Opens the source again (one request for
   * HTTP, the probe) and compares its version with the current one: if equal, closes it and
   * returns false. Otherwise reads and checks the new front (one or two requests more) and makes
   * that version current: {@link #list()}, {@link #length}, {@link #openReader} and {@link #stats()}
   * see it from now on. Readers opened before keep their version; its source is closed with the
   * last of them. Cached blocks of regions whose content is unchanged are found again by the new
   * version's readers.
   *
   * <p>If anything fails (the file cannot be reached, the new file is corrupt, or it was replaced
   * again while its front was read) the store stays on its current version and the exception is
   * thrown. Refreshes are serialized; reads go on meanwhile.
   *
   * @return whether the store moved to a new version
   * @throws UnsupportedOperationException if the store was opened on a bare {@link RangeSource}
   * @throws StoreClosedException if the store is closed
   * @throws IOException as {@link #open(RangeSource, SlotCache)}
   */
  public synchronized boolean refresh() throws IOException {
    ensureOpen();
    if (opener == null) {
      throw new UnsupportedOperationException(
          "remote store " + description() + " was opened on a range source and cannot open it again"
              + " to look for a new version: open it on a URI or a RangeSourceOpener");
    }
    RangeSource source = opener.open();
    StoreVersion old = current;
    if (source.version().equals(old.source.version()) && source.length() == old.source.length()) {
      sourceClosed(source);
      return false;
    }
    StoreVersion next = readVersion(source);
    live.add(next);
    current = next;
    old.retire();
    if (old.isClosed()) {
      live.remove(old);
    }
    return true;
  }

  /** Where the packed file is, safe to print. */
  public String description() {
    return current.source.description();
  }

  /** The version of the file this store reads now. */
  public String version() {
    return current.source.version();
  }

  /** The catalog generation of the store that was packed, in the current version. */
  public long generation() {
    return current.front.generation();
  }

  /** The region names of the current version, sorted. */
  public List<String> list() {
    PackedFront front = current.front;
    List<String> names = new ArrayList<>(front.regions().size());
    for (PackedRegion r : front.regions()) {
      names.add(r.name());
    }
    return names;
  }

  /** Whether a region of that name exists in the current version. */
  public boolean exists(String name) {
    return current.front.region(name) != null;
  }

  /**
   * The region's length in bytes, in the current version.
   *
   * @throws NoSuchRegionException if there is no such region
   */
  public long length(String name) throws NoSuchRegionException {
    StoreVersion v = current;
    return region(v, name).length();
  }

  /**
   * Opens a reader on a region of the current version; it keeps reading that version after a
   * {@link #refresh()}. Costs no request: blocks are fetched when read.
   *
   * @throws NoSuchRegionException if there is no such region
   * @throws StoreClosedException if the store is closed
   */
  public RemoteRegionReader openReader(String name) throws IOException {
    while (true) {
      ensureOpen();
      StoreVersion v = current;
      PackedRegion region = region(v, name);
      if (v.acquire()) { // fails only if a refresh retired v and closed its source meanwhile
        return new RemoteRegionReader(this, v, region, v.content(cache, region));
      }
    }
  }

  /** The cache blocks are read through. */
  public SlotCache cache() {
    return cache;
  }

  /**
   * A snapshot of this store's counters and its cache's. Requests and bytes count every version
   * the store has read, refresh probes included; the rest describes the current version.
   */
  public RemoteStoreStats stats() {
    StoreVersion v = current;
    long requests = closedRequests.sum();
    int readers = 0;
    for (StoreVersion s : live) {
      readers += s.readers();
      if (!s.isClosed()) {
        requests += s.source.requestCount();
      }
    }
    return new RemoteStoreStats(
        v.source.description(),
        v.source.version(),
        v.front.generation(),
        v.front.regions().size(),
        v.front.fileLength(),
        v.front.frontLength(),
        requests,
        bytesFetched.sum(),
        readers,
        cache.stats());
  }

  /** Closes the sources. Readers still open fail at their next fetch; cached reads still work. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      for (StoreVersion v : live) {
        v.closeNow();
      }
      live.clear();
    }
  }

  @Override
  public String toString() {
    return "RemoteStore(" + description() + ")";
  }

  // ------------------------------------------------------------ for versions and readers

  /** One request: reads {@code bytes} at {@code fileOffset} into {@code targets}, counted. */
  void read(RangeSource from, long fileOffset, List<MemorySegment> targets, long bytes)
      throws IOException {
    from.read(fileOffset, targets);
    bytesFetched.add(bytes);
  }

  /** Counts bytes read outside {@link #read} (a version's front). */
  void counted(long bytes) {
    bytesFetched.add(bytes);
  }

  /** The current version if it is not {@code version}, else null. */
  StoreVersion newerVersion(StoreVersion version) {
    StoreVersion v = current;
    return v == version ? null : v;
  }

  /** A reader of {@code version} closed. */
  void readerClosed(StoreVersion version) {
    version.release();
    if (version.isClosed()) {
      live.remove(version);
    }
  }

  /** Closes a source the store is done with, keeping its request count. */
  void sourceClosed(RangeSource source) {
    closedRequests.add(source.requestCount());
    try {
      source.close();
    } catch (IOException e) {
      // a source holds connections or a file handle; failing to release them loses no data
    }
  }

  void ensureOpen() {
    if (closed) {
      throw new StoreClosedException("remote store " + description() + " is closed");
    }
  }

  private static PackedRegion region(StoreVersion v, String name) throws NoSuchRegionException {
    PackedRegion r = v.front.region(name);
    if (r == null) {
      throw new NoSuchRegionException(v.source.description(), name);
    }
    return r;
  }
}
