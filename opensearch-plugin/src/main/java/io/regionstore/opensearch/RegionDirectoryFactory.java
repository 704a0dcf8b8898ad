package io.regionstore.opensearch;

import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockFactory;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.shard.ShardPath;
import org.opensearch.index.store.FsDirectoryFactory;
import org.opensearch.plugins.IndexStorePlugin;

/**
 * Opens a shard's Lucene directory as a {@link RegionDirectory} in the shard's index folder ({@code
 * <data>/nodes/0/indices/<index uuid>/<shard>/index}): that folder then holds the store's data file
 * and lock file instead of one file per Lucene file. The lock factory is the index's {@code
 * index.store.fs.fs_lock} (as for OpenSearch's own file-system stores), the options come from
 * {@link RegionStoreSettings}.
 *
 * <p>Stateless and thread-safe. Throws what {@link RegionDirectory}'s constructor throws, e.g.
 * {@link io.regionstore.StoreLockedException} if another writer has the shard's store open.
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
    return new RegionDirectory(location, lockFactory, RegionStoreSettings.config(indexSettings));
  }
}
