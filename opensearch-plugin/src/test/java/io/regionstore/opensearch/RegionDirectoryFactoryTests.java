package io.regionstore.opensearch;

import io.regionstore.errors.StoreLockedException;
import io.regionstore.lucene.RegionDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.NoLockFactory;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.shard.ShardPath;
import org.opensearch.plugins.IndexStorePlugin;
import org.opensearch.test.IndexSettingsModule;
import org.opensearch.test.OpenSearchTestCase;

public class RegionDirectoryFactoryTests extends OpenSearchTestCase {
  public void testPluginRegistersTheStoreTypeAndItsSettings() {
    RegionStorePlugin plugin = new RegionStorePlugin();
    Map<String, IndexStorePlugin.DirectoryFactory> factories = plugin.getDirectoryFactories();
    assertEquals(List.of("regionstore"), List.copyOf(factories.keySet()));
    assertTrue(factories.get("regionstore") instanceof RegionDirectoryFactory);
    assertEquals(List.of(RegionStoreSettings.CHUNK_SIZE, RegionStoreSettings.PRELOAD), plugin.getSettings());
  }

  public void testShardIndexFolderBecomesOneStore() throws Exception {
    ShardPath shardPath = shardPath();
    IndexSettings settings = indexSettings(Settings.builder().put("index.store.regionstore.chunk_size", "64kb"));
    Path folder = shardPath.resolveIndex();
    assertFalse(Files.exists(folder));
    byte[] bytes = randomByteArrayOfLength(100_000);
    try (Directory dir = new RegionDirectoryFactory().newDirectory(settings, shardPath)) {
      RegionDirectory region = (RegionDirectory) FilterDirectory.unwrap(dir);
      assertEquals(folder, region.getDirectory());
      assertEquals(64 << 10, region.stats().chunkSize());
      try (IndexOutput out = dir.createOutput("_0.cfs", IOContext.DEFAULT)) {
        out.writeBytes(bytes, bytes.length);
      }
      dir.sync(List.of("_0.cfs"));
      dir.syncMetaData();
    }
    assertTrue(Files.isRegularFile(folder.resolve("regionstore.data")));
    assertFalse(Files.exists(folder.resolve("_0.cfs")));
    // Reopened (as after a node restart), with another chunk size set: the store keeps its own.
    IndexSettings other = indexSettings(Settings.builder().put("index.store.regionstore.chunk_size", "1mb"));
    try (Directory dir = new RegionDirectoryFactory().newDirectory(other, shardPath);
        IndexInput in = dir.openInput("_0.cfs", IOContext.DEFAULT)) {
      assertEquals(64 << 10, ((RegionDirectory) FilterDirectory.unwrap(dir)).stats().chunkSize());
      byte[] read = new byte[bytes.length];
      in.readBytes(read, 0, read.length);
      assertArrayEquals(bytes, read);
      assertEquals(List.of("_0.cfs"), List.of(dir.listAll()));
    }
  }

  public void testSecondWriterOfAShardIsRefused() throws Exception {
    ShardPath shardPath = shardPath();
    IndexSettings settings = indexSettings(Settings.builder());
    try (Directory first = new RegionDirectoryFactory().newDirectory(settings, shardPath)) {
      expectThrows(StoreLockedException.class, () -> new RegionDirectoryFactory().newDirectory(settings, shardPath));
    }
  }

  public void testNewFsDirectoryUsesTheGivenFolderAndLockFactory() throws Exception {
    Path folder = createTempDir().resolve("elsewhere");
    Files.createDirectories(folder);
    try (Directory dir =
        new RegionDirectoryFactory().newFSDirectory(folder, NoLockFactory.INSTANCE, indexSettings(Settings.builder()))) {
      assertEquals(folder, ((RegionDirectory) FilterDirectory.unwrap(dir)).getDirectory());
      assertEquals(1L << 30, ((RegionDirectory) FilterDirectory.unwrap(dir)).stats().chunkSize());
      dir.obtainLock("write.lock").close();
    }
    assertTrue(Files.isRegularFile(folder.resolve("regionstore.data")));
  }

  private ShardPath shardPath() {
    ShardId shardId = new ShardId("idx", "_na_", 0);
    Path shardFolder = createTempDir().resolve("indices").resolve("_na_").resolve("0");
    return new ShardPath(false, shardFolder, shardFolder, shardId);
  }

  private static IndexSettings indexSettings(Settings.Builder settings) {
    return IndexSettingsModule.newIndexSettings(
        "idx", settings.build(), RegionStoreSettings.CHUNK_SIZE, RegionStoreSettings.PRELOAD);
  }
}
