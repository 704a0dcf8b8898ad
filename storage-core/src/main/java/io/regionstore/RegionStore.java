package io.regionstore;

import io.regionstore.alloc.SpaceAllocator;
import io.regionstore.catalog.CatalogCodec;
import io.regionstore.catalog.CatalogSlots;
import io.regionstore.catalog.CatalogSnapshot;
import io.regionstore.catalog.PersistedRegion;
import io.regionstore.catalog.RegionNames;
import io.regionstore.commit.GroupCommit;
import io.regionstore.errors.CorruptStoreException;
import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.RegionExistsException;
import io.regionstore.errors.StoreClosedException;
import io.regionstore.errors.StoreFailedException;
import io.regionstore.errors.StoreLockedException;
import io.regionstore.events.CommitEvent;
import io.regionstore.events.CompactionEvent;
import io.regionstore.mmap.DataFile;
import io.regionstore.mmap.MappedChunks;
import io.regionstore.pack.PackLayout;
import io.regionstore.pack.PackOptions;
import io.regionstore.pin.ReaderTable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Many named, append-only regions in one memory-mapped data file, with a crash-consistent catalog.
 *
 * <p>A store is a folder holding {@link #STORE_FILES}: the data file (which also holds the
 * catalog), a reader table and a lock file. Regions are created with {@link #create}, written once through a {@link
 * RegionWriter}, sealed, and then read zero-copy through {@link RegionReader}s. Names can be
 * renamed atomically and deleted; a deleted region stays readable by readers that have it open.
 *
 * <h2>Durability</h2>
 *
 * Nothing survives a crash until {@link #syncMetadata()} returns: it writes the whole namespace as
 * the next catalog generation (a new body and the older of two meta pages, inside the data file)
 * and makes it durable, with every region byte it names, in one fdatasync. After a crash the store
 * reopens at the newest catalog generation that completely reached the disk. {@link #sync} makes regions' bytes durable on its own
 * (one fdatasync for any number of regions). Concurrent callers of either share flushes (group
 * commit). If an fsync fails the store refuses all further writes with {@link
 * StoreFailedException} until it is reopened.
 *
 * <h2>Processes</h2>
 *
 * One process at a time may open a store for writing (an OS lock; a second writer gets {@link
 * StoreLockedException}). Any number may open it read-only ({@link #openReadOnly}): they see the
 * last durable catalog generation, {@link #refresh()} moves them to a newer one, and the writer
 * never reuses space such a reader may still read.
 *
 * <h2>Packed files</h2>
 *
 * {@link #pack} writes the last durable generation as one immutable, exact-size file; {@link
 * #openReadOnly} opens such a file (given in place of the folder) read-only.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe. Readers read without locks; writers of different regions write concurrently;
 * namespace changes take a short lock.
 */
public final class RegionStore implements AutoCloseable {
  /** Every file a store keeps in its folder; anything else there is not the store's. */
  public static final List<String> STORE_FILES =
      List.of(
          DataFile.FILE_NAME,
          ReaderTable.FILE_NAME,
          WriterLock.FILE_NAME);

  final Path directory;
  final DataFile data;
  final boolean readOnly;
  private final StoreOptions options;
  private final MappedChunks chunks;
  private final CatalogSlots slots;
  private final ReaderTable readerTable;
  private final WriterLock writerLock;
  private final ReadOnlyPins readOnlyPins;
  final SpaceAllocator space;
  private final GroupCommit dataCommit;
  private final GroupCommit catalogCommit;

  volatile ConcurrentHashMap<String, Region> regions;
  final ReentrantLock namespace = new ReentrantLock();
  private long snapshotGeneration;
  private volatile long durableGeneration;
  /** Extents of the durable generation's catalog body (writer only; guarded by the catalog commit). */
  private long[] catalogBody;
  final AtomicLong dataWrites = new AtomicLong();
  final AtomicLong catalogChanges = new AtomicLong();
  private final Set<RegionReader> openReaders = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, ReaderGroup> groups = new ConcurrentHashMap<>();
  /** Confined readers whose views are alive (closing a confined scope needs its own thread). */
  private final AtomicInteger confinedReaders = new AtomicInteger();
  /** Set once close() has closed or stopped every reader. */
  private volatile boolean readersClosed;
  private final Set<RegionWriter> openWriters = ConcurrentHashMap.newKeySet();
  private final Set<Region> unlinkedOpen = ConcurrentHashMap.newKeySet();
  private volatile StoreFailedException failure;
  private volatile boolean closed;

  RegionStore(
      Path directory,
      StoreOptions options,
      DataFile data,
      CatalogSlots slots,
      ReaderTable readerTable,
      WriterLock writerLock,
      ReadOnlyPins readOnlyPins,
      CatalogSlots.Loaded loaded)
      throws IOException {
    this.directory = directory;
    this.options = options;
    this.data = data;
    this.slots = slots;
    this.readerTable = readerTable;
    this.writerLock = writerLock;
    this.readOnly = writerLock == null;
    this.chunks = new MappedChunks(data);
    long generation = loaded.newest().generation();
    this.regions = toRegions(loaded.newest(), readOnly ? generation : 0);
    this.snapshotGeneration = generation;
    this.durableGeneration = generation;
    this.readOnlyPins = readOnlyPins;
    if (readOnly) {
      this.space = null;
      this.dataCommit = null;
      this.catalogCommit = null;
    } else {
      this.space =
          new SpaceAllocator(
              data.chunkSize(),
              new SpaceAllocator.FileEnd() {
                @Override
                public long size() {
                  return data.size();
                }

                @Override
                public long addChunk() throws IOException {
                  return data.addChunk();
                }

                @Override
                public void truncate(long newSize) throws IOException {
                  data.truncate(newSize);
                }

                @Override
                public boolean punchHoles(long[] ranges) throws IOException {
                  return data.punchHoles(ranges);
                }
              },
              readerTable::minPinnedGeneration,
              generation,
              options.minHoleSize());
      this.catalogBody = loaded.newestBody();
      SpaceRecovery.recover(space, loaded, DataFile.DATA_START, data.size(), data.chunkSize());
      this.dataCommit = new GroupCommit(this::flushData, 0);
      this.catalogCommit = new GroupCommit(this::flushCatalog, 0);
    }
  }

  /** Opens (creating it if needed) the store in {@code directory} for writing, with defaults. */
  public static RegionStore open(Path directory) throws IOException {
    return open(directory, StoreOptions.defaults());
  }

  /**
   * Opens the store in {@code directory} read-only, with defaults; or, if {@code directory} is a
   * file, that packed store file ({@link #pack}).
   */
  public static RegionStore openReadOnly(Path directory) throws IOException {
    return open(directory, StoreOptions.builder().readOnly(true).build());
  }

  /**
   * Opens a store.
   *
   * <p>For writing, the folder and store are created if missing, and the writer lock is taken.
   * Read-only, the store must exist. A regular file in place of the folder is opened as a packed
   * store file ({@link #pack}): read-only, immutable, with no lock file, reader table or recovery
   * check, its front checked by {@link io.regionstore.pack.PackedFileReader}.
   *
   * @throws IllegalArgumentException if {@code directory} is a file and {@code options} are not
   *     read-only
   * @throws StoreLockedException if another writer has the store open
   * @throws CorruptStoreException if the data file header or both catalog slots fail their checks
   * @throws java.nio.file.NoSuchFileException read-only, if there is no store in {@code directory}
   */
  public static RegionStore open(Path directory, StoreOptions options) throws IOException {
    return StoreOpener.open(directory, options);
  }

  // ---------------------------------------------------------------- namespace

  /** Creates a region with no size hint. See {@link #create(String, long)}. */
  public RegionWriter create(String name) throws IOException {
    return create(name, 0);
  }

  /**
   * Creates a region and returns its writer. The name is taken at once ({@link #exists}, {@link
   * #list} and {@link #length} see it); the region becomes readable when sealed.
   *
   * @param expectedLength a size hint: the first extent reserved; 0 for the default
   * @throws RegionExistsException if the name is taken
   * @throws IllegalArgumentException if the name is invalid ({@link RegionNames})
   */
  public RegionWriter create(String name, long expectedLength) throws IOException {
    checkWritable();
    RegionNames.validate(name);
    if (regions.containsKey(name)) {
      throw new RegionExistsException(directory, name);
    }
    long first = expectedLength > 0 ? expectedLength : options.firstExtentSize();
    RegionWriter writer =
        new RegionWriter(this, name, first, data.chunkSize(), options.writeBufferSize());
    Region entry = Region.writing(writer);
    writer.attach(entry);
    if (regions.putIfAbsent(name, entry) != null) {
      throw new RegionExistsException(directory, name);
    }
    openWriters.add(writer);
    return writer;
  }

  /**
   * Opens a sealed region for reading. No system call, no copy.
   *
   * @throws NoSuchRegionException if there is no such region
   * @throws IllegalStateException if the region is still being written
   */
  public RegionReader openReader(String name) throws IOException {
    return open(name, existing(name), null, false);
  }

  /**
   * Opens a reader in the group {@code group}: readers opened under the same key while any of them
   * is open share one view scope. Closing a member stops it at once (its methods throw), but the
   * views it handed out stay readable, and its region's space unreused, until the last member of
   * the group closes; then every member's views die together, which costs the JVM one thread
   * handshake for the group instead of one per reader. Use it for files opened and closed
   * together, such as one Lucene segment's.
   *
   * @param group the group key, or null for a reader that owns its views (as {@link
   *     #openReader(String)})
   * @throws NoSuchRegionException if there is no such region
   * @throws IllegalStateException if the region is still being written
   */
  public RegionReader openReader(String name, String group) throws IOException {
    return open(name, existing(name), group, false);
  }

  /**
   * Opens a reader confined to the calling thread: only this thread may use its views (others get
   * {@link WrongThreadException}) and close it, and closing it costs no thread handshake. For a
   * file read once, start to end, by one thread (Lucene's {@code READONCE}). If the store is closed
   * by another thread first, the reader stops (its methods throw) and the store keeps its mappings
   * until this thread closes the reader.
   *
   * @throws NoSuchRegionException if there is no such region
   * @throws IllegalStateException if the region is still being written
   */
  public RegionReader openConfinedReader(String name) throws IOException {
    return open(name, existing(name), null, true);
  }

  /** A reader on {@code region}, which need not be in the namespace now (a packer's snapshot). */
  RegionReader openReaderOn(String name, Region region) throws IOException {
    return open(name, region, null, false);
  }

  private RegionReader open(String name, Region region, String group, boolean confined)
      throws IOException {
    if (!region.isSealed()) {
      throw new IllegalStateException(
          "region \"" + name + "\" in store " + directory + " is still being written");
    }
    if (!region.acquire()) {
      throw new NoSuchRegionException(directory, name);
    }
    if (readOnlyPins != null) {
      readOnlyPins.opened(region.generation);
    }
    ReaderGroup joined =
        group == null
            ? null
            : groups.compute(group, (key, g) -> g != null && g.join() ? g : newJoinedGroup(key));
    if (confined) {
      confinedReaders.incrementAndGet();
    }
    RegionReader reader = new RegionReader(this, name, region, joined, confined);
    openReaders.add(reader);
    if (closed) {
      reader.close();
      checkOpen();
    }
    return reader;
  }

  /**
   * Renames a sealed region atomically: at no moment do both or neither name exist, and {@code
   * to} shows the complete content. Durable after {@link #syncMetadata()}.
   *
   * @throws NoSuchRegionException if {@code from} does not exist
   * @throws RegionExistsException if {@code to} exists
   * @throws IllegalStateException if {@code from} is still being written
   */
  public void rename(String from, String to) throws IOException {
    checkWritable();
    RegionNames.validate(to);
    namespace.lock();
    try {
      Region region = regions.get(from);
      if (region == null) {
        throw new NoSuchRegionException(directory, from);
      }
      if (!region.isSealed()) {
        throw new IllegalStateException(
            "cannot rename region \"" + from + "\": it is still being written");
      }
      if (regions.putIfAbsent(to, region) != null) {
        throw new RegionExistsException(directory, to);
      }
      regions.remove(from);
      catalogChanges.incrementAndGet();
    } finally {
      namespace.unlock();
    }
  }

  /**
   * Deletes a region. Its space is reused only once no catalog slot references it and no reader
   * (in this or another process) can read it; open readers keep reading it. Deleting a region
   * still being written discards its bytes when its writer is sealed. Durable after {@link
   * #syncMetadata()}.
   *
   * @throws NoSuchRegionException if there is no such region
   */
  public void delete(String name) throws IOException {
    checkWritable();
    namespace.lock();
    try {
      Region region = regions.remove(name);
      if (region == null) {
        throw new NoSuchRegionException(directory, name);
      }
      if (region.isSealed()) {
        catalogChanges.incrementAndGet();
        unlink(region);
      }
    } finally {
      namespace.unlock();
    }
  }

  /** Unlinks a region that left the namespace; caller holds the namespace lock. */
  void unlink(Region region) {
    long freedAt = snapshotGeneration + 1;
    unlinkedOpen.add(region);
    if (region.unlink(freedAt)) {
      unlinkedOpen.remove(region);
      space.retire(freedAt, region.extents);
    }
  }

  /** Whether a region of that name exists (sealed or being written). */
  public boolean exists(String name) {
    checkOpen();
    return regions.containsKey(name);
  }

  /** All region names, sorted. */
  public List<String> list() {
    checkOpen();
    List<String> names = new ArrayList<>(regions.keySet());
    names.sort(null);
    return names;
  }

  /**
   * The length of a region: for one still being written, the bytes appended so far.
   *
   * @throws NoSuchRegionException if there is no such region
   */
  public long length(String name) throws IOException {
    return existing(name).length();
  }

  private Region existing(String name) throws NoSuchRegionException {
    checkOpen();
    Region region = regions.get(name);
    if (region == null) {
      throw new NoSuchRegionException(directory, name);
    }
    return region;
  }

  // ---------------------------------------------------------------- durability

  /**
   * Makes the bytes written so far to these regions durable: one fdatasync of the data file,
   * shared with concurrent callers. (Not needed before {@link #syncMetadata()}, which makes the
   * regions it names durable in its own single fdatasync.) Buffered bytes of writers still open are not covered; seal or
   * {@link RegionWriter#flush()} first. Names are made durable by {@link #syncMetadata()}.
   *
   * @throws NoSuchRegionException if a name does not exist
   * @throws StoreFailedException if this or an earlier fsync failed
   */
  public void sync(Collection<String> names) throws IOException {
    checkWritable();
    for (String name : names) {
      if (!regions.containsKey(name)) {
        throw new NoSuchRegionException(directory, name);
      }
    }
    dataCommit.await(dataWrites.get());
  }

  /**
   * Makes every sealed region, rename and delete so far durable: the next catalog generation is
   * written into the data file and one fdatasync makes it and every byte it names durable.
   * Concurrent callers share one catalog write. Afterwards, free space the commit made reusable is
   * given back to the file system ({@link StoreOptions#minHoleSize()}); that is not part of the
   * commit and never fails it.
   *
   * @throws StoreFailedException if this or an earlier fsync failed
   */
  public void syncMetadata() throws IOException {
    checkWritable();
    catalogCommit.await(catalogChanges.get());
    space.punchHoles();
  }

  private long flushData() throws IOException {
    checkNotFailed();
    long ticket = dataWrites.get();
    try {
      data.force("regions");
    } catch (IOException e) {
      throw fail("fsync of data file " + data.path(), e);
    }
    return ticket;
  }

  private long flushCatalog() throws IOException {
    checkNotFailed();
    CommitEvent event = new CommitEvent();
    event.begin();
    long ticket;
    CatalogSnapshot snapshot;
    namespace.lock();
    try {
      ticket = catalogChanges.get();
      snapshot = snapshot(++snapshotGeneration);
    } finally {
      namespace.unlock();
    }
    long[] body = null;
    long catalogBytes = 0;
    try {
      ByteBuffer bytes = CatalogCodec.encode(snapshot, data.storeId());
      catalogBytes = bytes.remaining();
      body = allocateCatalogBody(bytes.remaining());
      slots.write(snapshot.generation(), bytes, body);
    } catch (IOException | RuntimeException e) {
      // Nothing references the new body, and the same generation (same meta page) is written again
      // next time, so the page holding the newest durable generation is never overwritten by a retry.
      if (body != null) {
        for (int i = 0; i < body.length; i += 2) {
          space.release(body[i], body[i + 1]);
        }
      }
      namespace.lock();
      snapshotGeneration = snapshot.generation() - 1;
      namespace.unlock();
      throw e;
    }
    long fsyncStart = System.nanoTime();
    try {
      data.force("catalog generation " + snapshot.generation());
    } catch (IOException e) {
      // The generation was not acknowledged: zero its meta page (best effort; nothing is synced
      // from here on) so that a reopen shows the previous one, as the caller was told. Its body
      // stays owned (pending, never reusable here: the store refuses writes from now on).
      try {
        slots.invalidate((int) (snapshot.generation() % 2));
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      space.retire(snapshot.generation() + 1, body);
      throw fail("fdatasync of data file " + data.path() + " for catalog generation " + snapshot.generation(), e);
    }
    // The previous body is left out from this generation on: reusable once both meta pages have
    // moved past it and no reader may still be loading it.
    space.retire(snapshot.generation(), catalogBody);
    catalogBody = body;
    long fsyncNanos = System.nanoTime() - fsyncStart;
    durableGeneration = snapshot.generation();
    space.durable(snapshot.generation());
    event.finish(directory, snapshot.generation(), snapshot.regions().size(), regionBytes(snapshot), catalogBytes, fsyncNanos);
    return ticket;
  }

  private long[] allocateCatalogBody(long length) throws IOException {
    long aligned = SpaceAllocator.align(length);
    long chunk = data.chunkSize();
    long[] extents = new long[2 * (int) ((aligned + chunk - 1) / chunk)];
    int n = 0;
    try {
      for (long left = aligned; left > 0; ) {
        long piece = Math.min(left, chunk);
        extents[n] = space.allocateLow(piece);
        extents[n + 1] = piece;
        n += 2;
        left -= piece;
      }
      return extents;
    } catch (IOException | RuntimeException e) {
      for (int i = 0; i < n; i += 2) {
        space.release(extents[i], extents[i + 1]);
      }
      throw e;
    }
  }

  private static long regionBytes(CatalogSnapshot snapshot) {
    long sum = 0;
    for (PersistedRegion r : snapshot.regions()) {
      sum += r.length();
    }
    return sum;
  }

  private CatalogSnapshot snapshot(long generation) {
    List<PersistedRegion> sealed = new ArrayList<>(regions.size());
    for (Map.Entry<String, Region> e : regions.entrySet()) {
      Region r = e.getValue();
      if (r.isSealed()) {
        sealed.add(new PersistedRegion(e.getKey(), r.length(), r.crc, r.extents));
      }
    }
    return new CatalogSnapshot(generation, sealed);
  }

  private StoreFailedException fail(String what, IOException cause) {
    StoreFailedException e =
        new StoreFailedException(
            "store " + directory + ": " + what + " failed; the store refuses writes until reopened",
            cause);
    failure = e;
    return e;
  }

  // ---------------------------------------------------------------- read-only

  /**
   * Read-only: moves to the newest durable catalog generation, if a newer one exists. Readers
   * already open keep reading what they opened. A writer's view is always current: returns false.
   *
   * @return whether a newer generation was loaded
   */
  public boolean refresh() throws IOException {
    checkOpen();
    if (!readOnly || slots == null) {
      return false; // a writer's view is current; a packed file never changes
    }
    namespace.lock();
    try {
      if (slots.generationInSlot((int) ((durableGeneration + 1) % 2)) <= durableGeneration) {
        return false; // the other slot holds nothing newer
      }
      CatalogSnapshot newest = loadPinned(slots, readOnlyPins).newest();
      if (newest.generation() == durableGeneration) {
        return false;
      }
      regions = toRegions(newest, newest.generation());
      durableGeneration = newest.generation();
      snapshotGeneration = durableGeneration;
      return true;
    } finally {
      namespace.unlock();
    }
  }

  /**
   * Loads the newest catalog and pins its generation in the reader table so the writer cannot
   * reuse its space.
   *
   * <p>Why the final check suffices: space that generation {@code g} references can be reused
   * only after generation {@code g + 2} is durable (both slots must leave it out), and {@code g +
   * 2} is written over the slot {@code g} was loaded from. The pin is published first; if that
   * slot still holds {@code g} afterwards, {@code g + 2} was not yet written when the pin became
   * visible, so the writer's later look at the pins, which precedes any reuse, sees it.
   */
  static CatalogSlots.Loaded loadPinned(CatalogSlots slots, ReadOnlyPins pins) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 1000; attempt++) {
      CatalogSlots.Loaded loaded;
      try {
        loaded = slots.load();
      } catch (CorruptStoreException e) {
        last = e; // a slot being rewritten right now reads as torn; try again
        Thread.onSpinWait();
        continue;
      }
      long generation = loaded.newest().generation();
      pins.publish(generation);
      if (slots.generationInSlot((int) (generation % 2)) == generation) {
        pins.loaded(generation);
        return loaded;
      }
    }
    throw last != null ? last : new IOException("catalog kept changing during 1000 attempts to load it");
  }

  private static ConcurrentHashMap<String, Region> toRegions(CatalogSnapshot s, long generation) {
    ConcurrentHashMap<String, Region> map = new ConcurrentHashMap<>(s.regions().size() * 4 / 3 + 16);
    for (PersistedRegion r : s.regions()) {
      map.put(r.name(), Region.sealed(r.extents(), r.length(), r.crc(), generation));
    }
    return map;
  }

  // ---------------------------------------------------------------- space

  /**
   * Rewrites live regions to lower offsets so the data file can shrink to about the live bytes,
   * then cuts free chunks off its end. Safe with open readers, here or in other processes: moved
   * regions' old space is reused (or cut off) only when no reader can read it, so while readers
   * pin it the file cannot shrink past it. Regions being written are left where they are. Writes
   * two catalog generations, so both slots forget the old locations.
   */
  public CompactionResult compact() throws IOException {
    checkWritable();
    CompactionEvent event = new CompactionEvent();
    event.begin();
    CompactionResult result = new Compactor(this).run();
    event.finish(
        directory, result.regionsMoved(), result.bytesMoved(), result.fileSizeBefore(), result.fileSizeAfter());
    return result;
  }

  /**
   * Checks the space accounting: header, live extents, extents of writers, extents of deleted
   * regions still open, free and pending extents must tile the data file exactly. Meant for tests
   * and {@code verify} tools; call it while no writer is appending.
   *
   * @throws IllegalStateException describing the first overlap (doubly owned space) or gap
   *     (leaked space)
   */
  public void checkSpace() {
    checkOpen();
    if (readOnly) {
      throw new IllegalStateException("space accounting is the writer's: store is read-only");
    }
    new SpaceCheck(data.size())
        .check(regions.values(), openWriters, unlinkedOpen, catalogBody, space, DataFile.DATA_START);
  }

  /** Sizes and counters. */
  public StoreStats stats() {
    checkOpen();
    long live = 0;
    int extents = 0;
    for (Region r : regions.values()) {
      if (r.isSealed()) {
        live += r.extentBytes();
        extents += r.extents.length / 2;
      }
    }
    for (RegionWriter w : openWriters) {
      long[] reserved = w.reservedExtents();
      for (int i = 1; i < reserved.length; i += 2) {
        live += reserved[i];
      }
      extents += reserved.length / 2;
    }
    long heldByReaders = 0;
    for (Region r : unlinkedOpen) {
      heldByReaders += r.extentBytes();
    }
    return new StoreStats(
        data.size(),
        live,
        space == null ? 0 : space.freeBytes(),
        space == null ? 0 : space.pendingBytes(),
        heldByReaders,
        regions.size(),
        extents,
        space == null ? 0 : space.freeExtentCount(),
        chunks.mappedCount(),
        data.chunkSize(),
        durableGeneration,
        dataCommit == null ? 0 : dataCommit.flushes(),
        catalogCommit == null ? 0 : catalogCommit.flushes(),
        openReaders.size(),
        openWriters.size(),
        readerTable == null ? 0 : readerTable.livePins(),
        data.allocatedBytes(),
        space == null ? 0 : space.punchedBytes());
  }

  /** The store folder; for a packed store, the packed file. */
  public Path directory() {
    return directory;
  }

  /** Whether this store is a packed file ({@link #pack}), opened read-only. */
  public boolean isPacked() {
    return slots == null;
  }

  // ---------------------------------------------------------------- packing

  /** Packs the last durable generation with no hot section; see {@link #pack(Path, PackOptions)}. */
  public PackLayout pack(Path target) throws IOException {
    return pack(target, PackOptions.none());
  }

  /**
   * Writes an immutable, exact-size copy of the last durable generation to {@code target} (a
   * file, replaced if it exists): header, meta page, catalog with a SHA-256 per region, the hot
   * section of {@code options}, then the regions back to back, 64-byte aligned (format: {@link
   * io.regionstore.pack.PackFormat}). Packing the same content twice gives byte-identical files.
   * {@link #openReadOnly} opens the result. Returns once the file is durable.
   *
   * <p>A writer packs through a read-only view of its own folder, pinned like any read-only
   * process, so concurrent commits neither show up in the file nor reuse the space being copied;
   * changes not yet made durable by {@link #syncMetadata()} are not packed. A read-only store
   * packs the generation it has loaded.
   *
   * @throws IllegalArgumentException if {@code options} names a region that is not in the
   *     generation, or a range outside its region
   * @throws CorruptStoreException if a region's bytes fail their CRC32C
   */
  public PackLayout pack(Path target, PackOptions options) throws IOException {
    checkOpen();
    if (!readOnly) {
      try (RegionStore view = StoreOpener.open(directory, this.options.toBuilder().readOnly(true).build())) {
        return view.pack(target, options);
      }
    }
    return StorePacker.pack(this, target, options);
  }

  /** The namespace and generation a read-only store has loaded, taken together. */
  Map.Entry<Long, Map<String, Region>> loadedNamespace() {
    namespace.lock();
    try {
      return Map.entry(durableGeneration, Map.copyOf(regions));
    } finally {
      namespace.unlock();
    }
  }

  StoreOptions options() {
    return options;
  }

  /** Whether the store was opened read-only. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** The newest durable catalog generation (for a read-only store, the loaded one). */
  public long generation() {
    return durableGeneration;
  }

  // ---------------------------------------------------------------- callbacks

  MemorySegment mappedView(long offset, long length) throws IOException {
    return chunks.slice(offset, length);
  }

  MappedChunks chunks() {
    return chunks;
  }

  long allocateSpace(long length) throws IOException {
    checkWritable();
    return space.allocate(length);
  }

  long extendSpace(long end, long want) {
    return space.extend(end, want);
  }

  void releaseSpace(long offset, long length) {
    space.release(offset, length);
  }

  void writeData(ByteBuffer src, long position, String region) throws IOException {
    checkWritable();
    try {
      data.write(src, position);
    } catch (IOException e) {
      throw new IOException(
          "writing region \"" + region + "\" at offset " + position + " of " + data.path() + " failed",
          e);
    }
    dataWrites.incrementAndGet();
  }

  void sealed(RegionWriter writer, Region writing, long[] extents, long length, int crc) {
    openWriters.remove(writer);
    Region sealed = Region.sealed(extents, length, crc, 0);
    namespace.lock();
    try {
      if (regions.replace(writer.name(), writing, sealed)) {
        catalogChanges.incrementAndGet();
        return;
      }
    } finally {
      namespace.unlock();
    }
    // deleted while being written: nothing ever referenced its space
    for (int i = 0; i < extents.length; i += 2) {
      space.release(extents[i], extents[i + 1]);
    }
  }

  /** A writer failed and gave back its space: it no longer holds any. */
  void writerFailed(RegionWriter writer) {
    openWriters.remove(writer);
  }

  private ReaderGroup newJoinedGroup(String key) {
    ReaderGroup group = new ReaderGroup(closed -> groups.remove(key, closed));
    group.join();
    return group;
  }

  /**
   * A confined reader's views died. If the store closed while it was open on another thread, the
   * last such reader unmaps the chunks the store left mapped for it.
   */
  void confinedReaderReleased() {
    if (confinedReaders.decrementAndGet() == 0 && readersClosed) {
      chunks.close();
    }
  }

  void readerClosed(RegionReader reader) {
    openReaders.remove(reader);
  }

  /** A reader's views are dead: its region may give its space back. */
  void readerReleased(Region region) {
    if (region.release() && space != null) {
      unlinkedOpen.remove(region);
      space.retire(region.freedAt(), region.extents);
    }
    if (readOnlyPins != null) {
      readOnlyPins.closed(region.generation);
    }
  }

  void checkOpen() {
    if (closed) {
      throw new StoreClosedException("store " + directory + " is closed");
    }
  }

  void checkWritable() throws IOException {
    checkOpen();
    if (readOnly) {
      throw new IllegalStateException("store " + directory + " is open read-only");
    }
    checkNotFailed();
  }

  private void checkNotFailed() throws StoreFailedException {
    StoreFailedException f = failure;
    if (f != null) {
      throw new StoreFailedException(f.getMessage(), f.getCause());
    }
  }

  /**
   * Closes the store: open readers are closed (their views die), writers not yet sealed are
   * discarded, every mapping, channel and lock is released. Does not sync: what was not made
   * durable by {@link #syncMetadata()} is lost, as after a crash. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    for (RegionReader reader : openReaders) {
      reader.closeForStore();
    }
    for (RegionWriter writer : openWriters) {
      writer.abandon();
    }
    openWriters.clear();
    readersClosed = true;
    if (confinedReaders.get() == 0) {
      chunks.close(); // else confined readers of other threads still have views: the last unmaps
    }
    StoreOpener.closeAll(null, data, readOnlyPins, readerTable, writerLock);
  }

  @Override
  public String toString() {
    return "RegionStore(" + directory + (readOnly ? ", read-only" : "") + ")";
  }
}
