package io.regionstore.lucene;

import io.regionstore.CompactionResult;
import io.regionstore.RegionReader;
import io.regionstore.RegionStore;
import io.regionstore.RegionWriter;
import io.regionstore.StoreStats;
import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.StoreClosedException;
import io.regionstore.pack.PackLayout;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.BaseDirectory;
import org.apache.lucene.store.FSLockFactory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.LockFactory;
import org.apache.lucene.store.ReadOnceHint;
import org.apache.lucene.util.IOUtils;

/**
 * A Lucene {@link org.apache.lucene.store.Directory} whose files are the regions of one {@link
 * RegionStore}: one data file, mapped a chunk at a time, instead of one file and one mapping per
 * index file. A drop-in replacement for {@code MMapDirectory}: {@code new RegionDirectory(path)}.
 *
 * <h2>Files and locks</h2>
 *
 * The folder holds the store's own files ({@link RegionStore#STORE_FILES}) and the lock files of
 * the {@link LockFactory} (such as {@code write.lock}); {@link #listAll()} lists neither, only the
 * index files, sorted. Any Lucene lock factory works, by default {@code NativeFSLockFactory} as for
 * {@code FSDirectory}; lock files are plain files of the folder, where an {@code FSDirectory} would
 * put them. A file is listed from {@link #createOutput} on; {@link #fileLength} of a file still
 * being written counts the bytes written so far. A file still being written cannot be opened,
 * synced or renamed ({@link AccessDeniedException}, as Lucene's {@code MockDirectoryWrapper} does).
 * Deleting a file that is open keeps it readable through the inputs already open (POSIX unlink
 * semantics), so deletes never fail and never pend: {@link #getPendingDeletions()} is empty.
 *
 * <h2>Durability</h2>
 *
 * The fsyncs of a commit do not depend on its number of files: {@link #sync} checks but does not
 * fsync, and {@link #syncMetaData()} costs one fdatasync of the data file, which holds the catalog
 * too. A Lucene 10.5 {@code IndexWriter.commit()} costs one in total: of its two {@code
 * syncMetaData()} calls, the first adds nothing on a store and is left out (see {@link
 * #syncMetaData()}); an explicit two-phase commit ({@code prepareCommit()}, then {@code commit()})
 * costs two. Nothing written after the last {@link #syncMetaData()} survives a crash.
 *
 * <h2>Reading and the view cache</h2>
 *
 * {@link #openInput} opens a {@link RegionReader} (no system call, no copy) and returns an input
 * that resolves the region's extents to zero-copy views lazily, by range, caching each in the
 * reader. A cached view can never be stale: it is scoped to that reader, and while the reader is
 * open the store neither moves nor reuses the extents it reads, whatever happens to the name. A
 * {@link #deleteFile delete} or {@link #rename} changes only the namespace; {@link #compact()}
 * copies a region to new extents and repoints the name, leaving open readers on the old copy until
 * they close; store growth adds chunk mappings and never remaps or unmaps one. There is no cache
 * shared across inputs, so no cache to invalidate: each {@code openInput} looks the name up afresh
 * and sees the region's current extents. Once an input is closed, it throws {@link
 * AlreadyClosedException}, never another file's bytes.
 *
 * <h2>View scopes</h2>
 *
 * Closing a view scope shared between threads costs the JVM a handshake with every thread. As in
 * {@code MMapDirectory}, the inputs of one group ({@link RegionDirectoryConfig}'s {@code
 * groupingFunction}: by default the files of one segment) share one scope, closed when the last of
 * them closes; until then the clones of a closed input may still read their current window, and
 * the store does not reuse the closed file's space. An input opened with {@code READONCE} has a
 * scope confined to its thread, which costs no handshake; only that thread may read or close it.
 *
 * <h2>Read advice</h2>
 *
 * A file's {@link org.apache.lucene.store.ReadAdvice} is resolved as {@code MMapDirectory} does it
 * ({@link RegionDirectoryConfig}). It is <em>not</em> applied with {@code madvise}: all files share
 * one mapping per chunk, and {@code MADV_RANDOM} or {@code MADV_SEQUENTIAL} on one file's range
 * would split that mapping into separate kernel VMAs, thousands for a large index, which is what
 * this directory exists to avoid (and would also change the advice of whatever file later reuses
 * the range). The kernel's default read-around therefore applies to every file. Files selected by
 * {@link RegionDirectoryConfig#preload} are read into the page cache when opened; {@link
 * IndexInput#prefetch} is {@code madvise(MADV_WILLNEED)}, which does not split mappings.
 *
 * <h2>Read-only sharing</h2>
 *
 * {@link #openReadOnly} opens a store that another process writes. It sees the writer's last {@link
 * #syncMetaData()}; {@link #listAll()} moves to the newest one each time (so {@code
 * DirectoryReader.openIfChanged} sees new commits), and a file not found is looked up once more
 * after moving. Every method that would write throws {@link UnsupportedOperationException}.
 *
 * <h2>Packed files</h2>
 *
 * {@link #pack} writes the last commit as one immutable, exact-size file; {@link #openReadOnly}
 * given that file (rather than a store folder) opens it read-only, without lock file or reader
 * table. It never changes, so {@code DirectoryReader.openIfChanged} finds nothing new.
 *
 * <h2>Threads and errors</h2>
 *
 * Thread-safe. Every method throws {@link AlreadyClosedException} once the directory is closed;
 * missing files throw {@link NoSuchFileException}, existing targets {@link
 * FileAlreadyExistsException}, invalid names (see {@link io.regionstore.catalog.RegionNames}) {@link
 * IllegalArgumentException}, each naming the file.
 */
public final class RegionDirectory extends BaseDirectory {
  private final RegionStore store;
  private final RegionDirectoryConfig config;
  private final FolderLockFactory locks;
  private final ConcurrentHashMap<String, RegionIndexOutput> writing = new ConcurrentHashMap<>();
  private final AtomicLong nextTempFileCounter = new AtomicLong();

  /** Opens (creating if needed) the directory at {@code path} with the default lock factory. */
  public RegionDirectory(Path path) throws IOException {
    this(path, FSLockFactory.getDefault());
  }

  /**
   * Opens (creating if needed) the directory at {@code path}, locking it with {@code lockFactory}.
   * This is the constructor Lucene's test framework uses for {@code -Dtests.directory}.
   *
   * @throws io.regionstore.errors.StoreLockedException if another writer has the store open
   */
  public RegionDirectory(Path path, LockFactory lockFactory) throws IOException {
    this(path, lockFactory, RegionDirectoryConfig.defaults());
  }

  /** Opens (creating if needed) the directory at {@code path} with these options. */
  public RegionDirectory(Path path, LockFactory lockFactory, RegionDirectoryConfig config)
      throws IOException {
    this(Parts.writable(path, lockFactory, config), config);
  }

  private RegionDirectory(Parts parts, RegionDirectoryConfig config) {
    super(parts.locks());
    this.store = parts.store();
    this.locks = parts.locks();
    this.config = config;
  }

  /** Opens the directory with these options and the default lock factory. */
  public static RegionDirectory open(Path path, RegionDirectoryConfig config) throws IOException {
    return new RegionDirectory(path, FSLockFactory.getDefault(), config);
  }

  /**
   * Opens an existing directory read-only, at its last durable commit.
   *
   * @throws NoSuchFileException if there is no store at {@code path}
   */
  public static RegionDirectory openReadOnly(Path path) throws IOException {
    return openReadOnly(path, RegionDirectoryConfig.defaults());
  }

  /** Opens an existing directory read-only with these options (the store-creation ones unused). */
  public static RegionDirectory openReadOnly(Path path, RegionDirectoryConfig config)
      throws IOException {
    return new RegionDirectory(Parts.readOnly(path, config), config);
  }

  /** The store and lock factory of a directory being constructed. */
  private record Parts(RegionStore store, FolderLockFactory locks) {
    static Parts writable(Path path, LockFactory lockFactory, RegionDirectoryConfig config)
        throws IOException {
      FolderLockFactory locks = FolderLockFactory.forFolder(path, lockFactory);
      try {
        return new Parts(RegionStore.open(path, config.storeOptions(false)), locks);
      } catch (IOException | RuntimeException e) {
        IOUtils.closeWhileHandlingException(locks);
        throw e;
      }
    }

    static Parts readOnly(Path path, RegionDirectoryConfig config) throws IOException {
      return new Parts(
          RegionStore.open(path, config.storeOptions(true)), FolderLockFactory.readOnly(path));
    }
  }

  // ---------------------------------------------------------------- namespace

  /** The index files, sorted; neither the store's own files nor lock files. */
  @Override
  public String[] listAll() throws IOException {
    return call(
        () -> {
          if (store.isReadOnly()) {
            store.refresh();
          }
          return store.list().toArray(String[]::new);
        });
  }

  /** The length of a file; for one still being written, the bytes written so far. */
  @Override
  public long fileLength(String name) throws IOException {
    return call(
        () -> {
          try {
            return store.length(name);
          } catch (NoSuchRegionException e) {
            if (store.isReadOnly() && store.refresh()) {
              return store.length(name);
            }
            throw e;
          }
        });
  }

  @Override
  public void deleteFile(String name) throws IOException {
    call(
        () -> {
          checkWritable("delete \"" + name + "\"");
          store.delete(name);
          writing.remove(name); // the output, if still open, now writes bytes nobody will see
          return null;
        });
  }

  /**
   * Renames a file atomically: at no moment do both or neither name exist.
   *
   * @throws FileAlreadyExistsException if {@code dest} exists
   * @throws AccessDeniedException if {@code source} is still being written
   */
  @Override
  public void rename(String source, String dest) throws IOException {
    call(
        () -> {
          checkWritable("rename \"" + source + "\"");
          checkNotWriting(source, "renamed");
          try {
            store.rename(source, dest);
          } catch (StoreClosedException e) {
            throw e;
          } catch (IllegalStateException e) {
            throw stillWriting(source, "renamed");
          }
          return null;
        });
  }

  @Override
  public Set<String> getPendingDeletions() {
    ensureOpen();
    return Set.of();
  }

  // ---------------------------------------------------------------- writing

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    return call(
        () -> {
          checkWritable("create \"" + name + "\"");
          RegionWriter writer = store.create(name, config.expectedLength(context));
          RegionIndexOutput output =
              new RegionIndexOutput(describe(name), name, writer, o -> writing.remove(name, o));
          writing.put(name, output);
          return output;
        });
  }

  /** Creates a file named as Lucene's {@code getTempFileName} convention gives, first free one. */
  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
      throws IOException {
    while (true) {
      String name = getTempFileName(prefix, suffix, nextTempFileCounter.getAndIncrement());
      try {
        return createOutput(name, context);
      } catch (FileAlreadyExistsException e) {
        // taken (by a file kept from an earlier session): try the next counter value
      }
    }
  }

  /**
   * Checks that every file exists and is no longer being written; does <em>not</em> fsync.
   *
   * <p>Why that is enough: a file's name survives a crash only through a durable catalog
   * generation, and a generation counts as durable only with every byte it names: {@link
   * #syncMetaData()} makes both durable in one fdatasync, and recovery after a power failure
   * checks the CRC32C of every file the newest generation added, falling back to the previous
   * generation if one did not fully reach the disk. An fsync here would make bytes durable that, until
   * the next {@code syncMetaData()}, no name points to after a crash; so it is unobservable, and
   * skipping it makes the fsyncs of a Lucene commit independent of its number of files: one
   * fdatasync (see {@link #syncMetaData()}) where an {@code FSDirectory} fsyncs every new file and
   * the folder.
   *
   * @throws NoSuchFileException if a file does not exist
   * @throws AccessDeniedException if a file is still being written (its output is not closed)
   */
  @Override
  public void sync(Collection<String> names) throws IOException {
    call(
        () -> {
          for (String name : names) {
            checkWritable("sync \"" + name + "\"");
            checkNotWriting(name, "synced");
            if (!store.exists(name)) {
              throw new NoSuchFileException(describe(name), null, "cannot sync: no such file");
            }
          }
          return null;
        });
  }

  /**
   * Makes every closed file, rename and delete so far durable: the next catalog generation is
   * written into the data file and one fdatasync makes it durable with every byte it names (none if
   * nothing changed since the last). Concurrent callers share the work.
   *
   * <p>One caller is the exception: the first of the two calls of a one-shot Lucene commit ({@code
   * IndexWriter.commit()} or {@code close()}, or {@code SegmentInfos.commit}), made by {@code
   * SegmentInfos.prepareCommit} before it writes {@code pending_segments_N}, returns without
   * writing anything. The second call, after the rename to {@code segments_N}, writes one catalog
   * generation with every file of the commit, and a generation is durable only whole, so {@code
   * segments_N} is never durable without the files it names; a crash in between shows the previous
   * commit, as it would anyway. A Lucene commit so costs one fdatasync. An explicit {@code
   * IndexWriter.prepareCommit()} keeps its fdatasync (its contract is that the index files are
   * synced when it returns), and so does every other caller; the caller is recognized on the stack
   * ({@code CommitCaller}), and anything unrecognized is synced.
   *
   * @throws io.regionstore.errors.StoreFailedException if an fsync failed now or before (the store then
   *     refuses writes until reopened)
   */
  @Override
  public void syncMetaData() throws IOException {
    boolean firstStepOfCommit = CommitCaller.isFirstStepOfOneShotCommit();
    call(
        () -> {
          checkWritable("sync metadata");
          if (!firstStepOfCommit) {
            store.syncMetadata();
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- reading

  /**
   * Opens a file for reading; no system call. See the class documentation for what the input
   * caches and why that never goes stale.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws AccessDeniedException if the file is still being written
   */
  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    return call(
        () -> {
          checkNotWriting(name, "opened");
          RegionReader reader =
              openReader(name, context.hints().contains(ReadOnceHint.INSTANCE), config.group(name));
          try {
            if (config.preload(name, context)) {
              reader.load(0, reader.length());
            }
            return LocalIndexInput.open(
                "RegionIndexInput(path=\"" + describe(name) + "\")",
                reader,
                config.readAdvice(name, context));
          } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
          }
        });
  }

  /**
   * A reader confined to this thread for a read-once file (as MMapDirectory's: no thread handshake
   * when it closes), else one in the file's group.
   */
  private RegionReader openReader(String name, boolean readOnce, String group) throws IOException {
    try {
      return readOnce ? store.openConfinedReader(name) : store.openReader(name, group);
    } catch (NoSuchRegionException e) {
      if (store.isReadOnly() && store.refresh()) {
        return readOnce ? store.openConfinedReader(name) : store.openReader(name, group);
      }
      throw e;
    } catch (StoreClosedException e) {
      throw e;
    } catch (IllegalStateException e) {
      throw stillWriting(name, "opened"); // created by another thread after our check
    }
  }

  // ---------------------------------------------------------------- store

  /** Sizes and counters of the underlying store, such as its fsync counts. */
  public StoreStats stats() {
    ensureOpen();
    try {
      return store.stats();
    } catch (StoreClosedException e) {
      throw alreadyClosed(e);
    }
  }

  /**
   * Checks the store's space accounting ({@link RegionStore#checkSpace()}): every byte of the data
   * file belongs to exactly one owner. For tests and verification tools; call it while no output
   * is being written.
   *
   * @throws IllegalStateException describing the first leaked or doubly owned range
   */
  public void checkSpace() {
    ensureOpen();
    try {
      store.checkSpace();
    } catch (StoreClosedException e) {
      throw alreadyClosed(e);
    }
  }

  /**
   * Compacts the store ({@link RegionStore#compact()}): moves files down so the data file can
   * shrink. Safe with open inputs, which keep reading the old copies. Makes everything durable
   * (like {@link #syncMetaData()}).
   */
  public CompactionResult compact() throws IOException {
    return call(
        () -> {
          checkWritable("compact");
          return store.compact();
        });
  }

  /**
   * Packs the index's last durable commit into one immutable, exact-size file ({@link
   * RegionStore#pack}) whose hot section holds what {@code DirectoryReader.open} reads ({@link
   * LucenePackPlan}), so that a remote reader opens it from the file's front alone. The plan is
   * recorded on, and the file written from, one read-only view of the store, so a writer may go
   * on committing. {@link #openReadOnly(Path)} opens the file.
   *
   * @param target the file to write (replaced if it exists)
   * @throws org.apache.lucene.index.IndexNotFoundException if the store holds no commit
   */
  public PackLayout pack(Path target) throws IOException {
    Path source = call(store::directory);
    try (RegionDirectory view = openReadOnly(source, config)) {
      return view.store.pack(target, LucenePackPlan.record(view));
    }
  }

  /** The store folder (for a packed store, the packed file). */
  public Path getDirectory() {
    return store.directory();
  }

  /** For tests in this package: the store underneath. */
  RegionStore store() {
    return store;
  }

  /** Whether this directory was opened read-only. */
  public boolean isReadOnly() {
    return store.isReadOnly();
  }

  /**
   * Closes the store (every open input dies; outputs not yet closed are discarded, as after a
   * crash) and the lock directory. Locks obtained stay held until closed. Idempotent.
   */
  @Override
  public synchronized void close() throws IOException {
    if (!isOpen) {
      return;
    }
    isOpen = false;
    writing.clear();
    try {
      store.close();
    } finally {
      locks.close();
    }
  }

  @Override
  public String toString() {
    return "RegionDirectory@" + store.directory() + " lockFactory=" + lockFactory;
  }

  // ---------------------------------------------------------------- helpers

  /** A directory operation: runs with the open check, a concurrent close becomes the Lucene kind. */
  @FunctionalInterface
  private interface Op<T> {
    T run() throws IOException;
  }

  private <T> T call(Op<T> op) throws IOException {
    ensureOpen();
    try {
      return op.run();
    } catch (StoreClosedException e) {
      throw alreadyClosed(e);
    }
  }

  private AlreadyClosedException alreadyClosed(StoreClosedException e) {
    return new AlreadyClosedException("this Directory is closed: " + this, e);
  }

  /** @param action what was refused, e.g. {@code delete "_0.cfs"} */
  private void checkWritable(String action) {
    if (store.isReadOnly()) {
      throw new UnsupportedOperationException(
          "cannot " + action + ": RegionDirectory " + store.directory() + " is read-only");
    }
  }

  private void checkNotWriting(String name, String action) throws AccessDeniedException {
    if (writing.containsKey(name)) {
      throw stillWriting(name, action);
    }
  }

  private AccessDeniedException stillWriting(String name, String action) {
    return new AccessDeniedException(
        describe(name), null, "cannot be " + action + ": still open for writing");
  }

  /** The file's path for messages (a string: a name may not be a valid path on this OS). */
  private String describe(String name) {
    return store.directory() + "/" + name;
  }
}
