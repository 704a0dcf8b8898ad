package io.regionstore.opensearch;

import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockFactory;
import org.apache.lucene.util.IOUtils;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.shard.ShardPath;
import org.opensearch.index.store.FsDirectoryFactory;
import org.opensearch.plugins.IndexStorePlugin;

/**
 * Opens a shard's Lucene directory as a {@link RegionDirectory} in the shard's index folder ({@code
 * <data>/nodes/0/indices/<index uuid>/<shard>/index}): that folder then holds the store's data file
 * and lock files instead of one file per Lucene file, plus a {@link CommitPointMirror} of the last
 * commit point (which OpenSearch's shard allocation reads without going through the plugin). The
 * directory returned is that mirror wrapped around the {@code RegionDirectory}. The lock factory is
 * the index's {@code index.store.fs.fs_lock} (as for OpenSearch's own file-system stores), the
 * options come from {@link RegionStoreSettings}.
 *
 * <p>Stateless and thread-safe. Throws what {@link RegionDirectory}'s constructor throws, e.g.
 * {@link io.regionstore.errors.StoreLockedException} if another writer has the shard's store open.
 */
final class RegionDirectoryFactory implements IndexStorePlugin.DirectoryFactory {
  @Override
  public Directory newDirectory(IndexSettings indexSettings, ShardPath shardPath)
      throws IOException {
    Path folder = shardPath.resolveIndex();
    Files.createDirectories(folder);
    LockFactory lockFactory = indexSettings.getValue(FsDirectoryFactory.INDEX_LOCK_FACTOR_SETTING);
    return newFSDirectory(folder, lockFactory, indexSettings);
  }

  @Override
  public Directory newFSDirectory(Path location, LockFactory lockFactory, IndexSettings indexSettings)
      throws IOException {
    RegionDirectory store =
        new RegionDirectory(location, lockFactory, RegionStoreSettings.config(indexSettings));
    CommitPointMirror mirrored = new CommitPointMirror(store, location);
    try {
      // Repairs a mirror left behind by a crash between a commit and its mirror update.
      mirrored.update();
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(store);
      throw e;
    }
    return mirrored;
  }
}
