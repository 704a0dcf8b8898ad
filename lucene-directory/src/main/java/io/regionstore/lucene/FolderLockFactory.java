package io.regionstore.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockFactory;
import org.apache.lucene.store.NIOFSDirectory;

/**
 * Lets any Lucene {@link LockFactory} lock a {@link RegionDirectory}, with its lock files (such as
 * {@code write.lock}) as plain files in the store folder.
 *
 * <p>{@code BaseDirectory.obtainLock} is final and passes the directory itself to the factory, and
 * the file-based factories ({@code NativeFSLockFactory}, {@code SimpleFSLockFactory}) accept only an
 * {@link FSDirectory}. So the directory is built over this factory, which hands the user's factory
 * an {@link FSDirectory} of the same folder that is used for nothing but locking: lock files end up
 * exactly where an {@code FSDirectory} of that folder would put them, so a {@code RegionDirectory}
 * and an {@code FSDirectory} (or a second process) on one folder exclude each other. Factories that
 * accept any directory ({@code NoLockFactory}, {@code SingleInstanceLockFactory}) work the same way.
 *
 * <p>A read-only directory has no lock directory: {@link #obtainLock} then throws {@link
 * UnsupportedOperationException}, as an index writer must not be opened on it.
 *
 * <p>Thread-safe if the wrapped factory is (Lucene's are).
 */
final class FolderLockFactory extends LockFactory implements Closeable {
  private final LockFactory factory;
  private final FSDirectory lockDirectory;
  private final Path folder;

  private FolderLockFactory(LockFactory factory, FSDirectory lockDirectory, Path folder) {
    this.factory = factory;
    this.lockDirectory = lockDirectory;
    this.folder = folder;
  }

  /** A factory locking {@code folder} (created if missing) through {@code factory}. */
  static FolderLockFactory forFolder(Path folder, LockFactory factory) throws IOException {
    Objects.requireNonNull(factory, "lockFactory");
    return new FolderLockFactory(factory, new NIOFSDirectory(folder, factory), folder);
  }

  /** A factory of a read-only directory: refuses every lock. */
  static FolderLockFactory readOnly(Path folder) {
    return new FolderLockFactory(null, null, folder);
  }

  @Override
  public Lock obtainLock(Directory dir, String lockName) throws IOException {
    if (lockDirectory == null) {
      throw new UnsupportedOperationException(
          "cannot obtain lock \"" + lockName + "\": RegionDirectory " + folder + " is read-only");
    }
    return factory.obtainLock(lockDirectory, lockName);
  }

  /** Closes the lock directory; locks already obtained stay valid until they are closed. */
  @Override
  public void close() throws IOException {
    if (lockDirectory != null) {
      lockDirectory.close();
    }
  }

  @Override
  public String toString() {
    return factory == null ? "read-only (no locks)" : factory.toString();
  }
}
