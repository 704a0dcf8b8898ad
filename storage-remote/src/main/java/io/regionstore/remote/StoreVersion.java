package io.regionstore.remote;

import io.regionstore.cache.CachedContent;
import io.regionstore.cache.ContentId;
import io.regionstore.cache.SlotCache;
import io.regionstore.errors.CorruptStoreException;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One version of a remote packed file: the source bound to it and its checked front. Readers hold
 * the version they were opened on, so a reader never reads another version's catalog or bytes.
 *
 * <p>The source is closed when the version is retired (no longer its store's current one) and its
 * last reader is closed, or when the store closes. Reader counting: {@code users} is the number of
 * open readers, or -1 once the source is closed, after which no reader can be added.
 */
final class StoreVersion {
  final RangeSource source;
  final PackedFront front;
  private final MemorySegment frontBytes;
  private final RemoteStore store;
  /** Per region index: the cache's handle on its blocks, made on first use. */
  private final AtomicReferenceArray<CachedContent> contents;
  private final AtomicInteger users = new AtomicInteger();
  private volatile boolean retired;

  private StoreVersion(RemoteStore store, RangeSource source, byte[] front) throws CorruptStoreException {
    this.store = store;
    this.source = source;
    this.front = PackedFileReader.parse(MemorySegment.ofArray(front), source.length(), source.description());
    this.frontBytes = MemorySegment.ofArray(front).asReadOnly();
    this.contents = new AtomicReferenceArray<>(this.front.regions().size());
  }

  /**
   * Reads and checks the front of the file behind {@code source}: one request, or two when the
   * front is longer than {@link PackFormat#FIRST_WINDOW}. Does not close the source on failure.
   */
  static StoreVersion read(RemoteStore store, RangeSource source) throws IOException {
    long fileLength = source.length();
    int windowLength = (int) Math.min(PackFormat.FIRST_WINDOW, fileLength);
    if (windowLength < PackFormat.HEADER_SIZE) {
      throw new CorruptStoreException(
          source.description(), 0, "not a packed store: " + fileLength + " bytes");
    }
    byte[] window = new byte[windowLength];
    source.read(0, MemorySegment.ofArray(window));
    long frontLength =
        PackedFileReader.frontLength(MemorySegment.ofArray(window), fileLength, source.description());
    if (frontLength > RemoteStore.MAX_FRONT_LENGTH) {
      throw new CorruptStoreException(
          source.description(),
          0,
          "front section of " + frontLength + " bytes is longer than the "
              + RemoteStore.MAX_FRONT_LENGTH + " a remote store reads");
    }
    byte[] front = Arrays.copyOf(window, (int) frontLength);
    if (frontLength > windowLength) {
      source.read(windowLength, MemorySegment.ofArray(front).asSlice(windowLength));
    }
    store.counted(frontLength);
    return new StoreVersion(store, source, front);
  }

  /** Adds a reader; false if the version's source is closed already (retired with no reader). */
  boolean acquire() {
    for (int n = users.get(); n >= 0; n = users.get()) {
      if (users.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** A reader closed: closes the source if it was the last one of a retired version. */
  void release() {
    if (users.decrementAndGet() == 0 && retired) {
      closeIfUnused();
    }
  }

  /** The version is no longer current: its source closes with its last reader (now if none). */
  void retire() {
    retired = true;
    closeIfUnused();
  }

  /** Whether the source is closed. */
  boolean isClosed() {
    return users.get() < 0;
  }

  /** Open readers. */
  int readers() {
    return Math.max(0, users.get());
  }

  /** Closes the source whatever readers remain (the store is closing). */
  void closeNow() {
    if (users.getAndSet(-1) >= 0) {
      store.sourceClosed(source);
    }
  }

  private void closeIfUnused() {
    if (users.compareAndSet(0, -1)) {
      store.sourceClosed(source);
    }
  }

  /** This version's region of the same name and content (SHA-256 and length), or null. */
  PackedRegion sameContent(PackedRegion other) {
    PackedRegion r = front.region(other.name());
    return r != null && r.length() == other.length() && Arrays.equals(r.sha256(), other.sha256()) ? r : null;
  }

  /** The region's hot copies, as windows. */
  HotWindows hotWindows(PackedRegion region) {
    return new HotWindows(front.hotRanges(region), frontBytes);
  }

  /** The cache's handle on the region's blocks, fetched through this version's source. */
  CachedContent content(SlotCache cache, PackedRegion region) {
    CachedContent c = contents.get(region.index());
    if (c == null) {
      c = cache.content(cacheKey(region), new RegionFetcher(store, this, region, cache.blockSize()));
      if (!contents.compareAndSet(region.index(), null, c)) {
        c = contents.get(region.index());
      }
    }
    return c;
  }

  /**
   * The identity a region's blocks are cached under: a SHA-256 over the source's description (its
   * path, or URL without query string) and the region's SHA-256, with the region's length. The
   * catalog's hash is the server's claim, not something this process computed, so it alone must
   * not be a key in a cache other stores share: a hostile file could claim an honest store's
   * hash and fill that store's blocks with its own bytes. Scoped to the source, a claim can only
   * affect reads of that same source; a new version of the file at the same place still finds the
   * blocks of its unchanged regions, which is what makes {@link RemoteStore#refresh()} cheap.
   */
  ContentId cacheKey(PackedRegion region) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(source.description().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(region.sha256());
      return ContentId.of(digest.digest(), region.length());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
