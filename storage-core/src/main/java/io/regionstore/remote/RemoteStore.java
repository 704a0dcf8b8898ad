package io.regionstore.remote;

import io.regionstore.CorruptStoreException;
import io.regionstore.NoSuchRegionException;
import io.regionstore.StoreClosedException;
import io.regionstore.cache.CachedContent;
import io.regionstore.cache.ContentId;
import io.regionstore.cache.SlotCache;
import io.regionstore.pack.HotRange;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
 * <p><b>Versions.</b> The store reads the version of the file its source was opened on. If the
 * file is replaced, the next fetch fails with {@link SourceChangedException} (naming the source and
 * both versions) and nothing of the new file is ever returned; cached blocks of the old version
 * stay readable.
 *
 * <p>Untrusted input: the file gets every check a local store gets, and a front longer than {@link
 * #MAX_FRONT_LENGTH} is refused before anything is allocated for it.
 *
 * <p>Thread-safe. The store owns its source (closing the store closes it) but not the cache.
 */
public final class RemoteStore implements AutoCloseable {
  /** Largest front section a remote store reads (it holds the catalog and the hot copies). */
  public static final long MAX_FRONT_LENGTH = 256L << 20;

  private final RangeSource source;
  private final SlotCache cache;
  private final PackedFront front;
  private final MemorySegment frontBytes;
  /** Per region index: the cache's handle on its blocks, made on first use. */
  private final AtomicReferenceArray<CachedContent> contents;
  private final LongAdder bytesFetched = new LongAdder();
  private final AtomicInteger openReaders = new AtomicInteger();
  private volatile boolean closed;

  private RemoteStore(RangeSource source, SlotCache cache, byte[] front)
      throws CorruptStoreException {
    this.source = source;
    this.cache = cache;
    this.front = PackedFileReader.parse(MemorySegment.ofArray(front), source.length(), source.description());
    this.frontBytes = MemorySegment.ofArray(front).asReadOnly();
    this.contents = new AtomicReferenceArray<>(this.front.regions().size());
    bytesFetched.add(front.length);
  }

  /**
   * Opens the packed file behind {@code source}, reading and checking its front.
   *
   * @param source the packed file; owned by the store from now on (closed with it, or at once if
   *     open fails)
   * @param cache where blocks are cached; shared, not owned
   * @throws CorruptStoreException naming the source and offset if the file is not a valid packed
   *     store, or declares a front longer than {@link #MAX_FRONT_LENGTH}
   * @throws SourceChangedException if the file was replaced while the front was read
   */
  public static RemoteStore open(RangeSource source, SlotCache cache) throws IOException {
    try {
      long fileLength = source.length();
      int windowLength = (int) Math.min(PackFormat.FIRST_WINDOW, fileLength);
      if (windowLength < PackFormat.HEADER_SIZE) {
        throw new CorruptStoreException(
            source.description(), 0, "not a packed store: " + fileLength + " bytes");
      }
      byte[] window = new byte[windowLength];
      source.read(0, MemorySegment.ofArray(window));
      long frontLength = PackedFileReader.frontLength(MemorySegment.ofArray(window), fileLength, source.description());
      if (frontLength > MAX_FRONT_LENGTH) {
        throw new CorruptStoreException(
            source.description(),
            0,
            "front section of " + frontLength + " bytes is longer than the " + MAX_FRONT_LENGTH
                + " a remote store reads");
      }
      if (frontLength <= windowLength) {
        byte[] front = java.util.Arrays.copyOf(window, (int) frontLength);
        return new RemoteStore(source, cache, front);
      }
      byte[] front = java.util.Arrays.copyOf(window, (int) frontLength);
      source.read(windowLength, MemorySegment.ofArray(front).asSlice(windowLength));
      return new RemoteStore(source, cache, front);
    } catch (IOException | RuntimeException e) {
      try {
        source.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Opens the packed file at {@code uri}: {@code http} and {@code https} through an {@link
   * HttpRangeSource} with default options, {@code file} through a {@link FileRangeSource}.
   *
   * @throws IllegalArgumentException for another scheme
   * @see #open(RangeSource, SlotCache)
   */
  public static RemoteStore open(URI uri, SlotCache cache) throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    RangeSource source =
        switch (scheme) {
          case "http", "https" -> HttpRangeSource.open(uri);
          case "file" -> FileRangeSource.open(java.nio.file.Path.of(uri));
          default ->
              throw new IllegalArgumentException(
                  "unsupported scheme \"" + scheme + "\" (http, https or file): " + RangeClient.describe(uri));
        };
    return open(source, cache);
  }

  /** Where the packed file is, safe to print. */
  public String description() {
    return source.description();
  }

  /** The version of the file this store reads. */
  public String version() {
    return source.version();
  }

  /** The catalog generation of the store that was packed. */
  public long generation() {
    return front.generation();
  }

  /** The region names, sorted. */
  public List<String> list() {
    List<String> names = new ArrayList<>(front.regions().size());
    for (PackedRegion r : front.regions()) {
      names.add(r.name());
    }
    return names;
  }

  /** Whether a region of that name exists. */
  public boolean exists(String name) {
    return front.region(name) != null;
  }

  /**
   * The region's length in bytes.
   *
   * @throws NoSuchRegionException if there is no such region
   */
  public long length(String name) throws NoSuchRegionException {
    return region(name).length();
  }

  /**
   * Opens a reader on a region. Costs no request: blocks are fetched when read.
   *
   * @throws NoSuchRegionException if there is no such region
   * @throws StoreClosedException if the store is closed
   */
  public RemoteRegionReader openReader(String name) throws IOException {
    ensureOpen();
    PackedRegion region = region(name);
    openReaders.incrementAndGet();
    return new RemoteRegionReader(this, region, content(region));
  }

  /** The cache blocks are read through. */
  public SlotCache cache() {
    return cache;
  }

  /** A snapshot of this store's counters and its cache's. */
  public RemoteStoreStats stats() {
    return new RemoteStoreStats(
        source.description(),
        source.version(),
        front.generation(),
        front.regions().size(),
        front.fileLength(),
        front.frontLength(),
        source.requestCount(),
        bytesFetched.sum(),
        openReaders.get(),
        cache.stats());
  }

  /** Closes the source. Readers still open fail at their next fetch; cached reads still work. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      source.close();
    }
  }

  @Override
  public String toString() {
    return "RemoteStore(" + source.description() + ")";
  }

  // ------------------------------------------------------------ for readers

  /** The hot copy holding {@code [position, position + 1)} of the region, as a window, or null. */
  MemorySegment hotWindow(PackedRegion region, long position) {
    HotRange h = front.hotRange(region.name(), position, 1);
    return h == null ? null : frontBytes.asSlice(h.frontOffset(), h.length());
  }

  /** The hot range holding all of [position, position + length) of the region, or null. */
  HotRange hotRange(PackedRegion region, long position, long length) {
    return front.hotRange(region.name(), position, length);
  }

  /** One request: reads {@code bytes} at {@code fileOffset} into {@code targets}, counted. */
  void read(RangeSource from, long fileOffset, List<MemorySegment> targets, long bytes)
      throws IOException {
    from.read(fileOffset, targets);
    bytesFetched.add(bytes);
  }

  void readerClosed() {
    openReaders.decrementAndGet();
  }

  void ensureOpen() {
    if (closed) {
      throw new StoreClosedException("remote store " + source.description() + " is closed");
    }
  }

  private PackedRegion region(String name) throws NoSuchRegionException {
    PackedRegion r = front.region(name);
    if (r == null) {
      throw new NoSuchRegionException(source.description(), name);
    }
    return r;
  }

  /**
   * The identity a region's blocks are cached under: a SHA-256 over the source's description (its
   * path, or URL without query string) and the region's SHA-256, with the region's length. The
   * catalog's hash is the server's claim, not something this process computed, so it alone must
   * not be a key in a cache other stores share: a hostile file could claim an honest store's
   * hash and fill that store's blocks with its own bytes. Scoped to the source, a claim can only
   * affect reads of that same source; a new version of the file at the same place still finds the
   * blocks of its unchanged regions.
   */
  private ContentId cacheKey(PackedRegion region) {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      digest.update(source.description().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(region.sha256());
      return ContentId.of(digest.digest(), region.length());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private CachedContent content(PackedRegion region) {
    CachedContent c = contents.get(region.index());
    if (c == null) {
      c =
          cache.content(
              cacheKey(region), new RegionFetcher(this, source, region, cache.blockSize()));
      if (!contents.compareAndSet(region.index(), null, c)) {
        c = contents.get(region.index());
      }
    }
    return c;
  }
}
