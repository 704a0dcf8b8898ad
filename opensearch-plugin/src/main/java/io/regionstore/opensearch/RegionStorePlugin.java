package io.regionstore.opensearch;

import java.util.List;
import java.util.Map;
import org.opensearch.common.settings.Setting;
import org.opensearch.plugins.IndexStorePlugin;
import org.opensearch.plugins.Plugin;

/**
 * The OpenSearch plugin: registers the store type {@value #STORE_TYPE}, so that an index created
 * with {@code index.store.type: regionstore} keeps each of its shards in one {@link
 * io.regionstore.lucene.RegionDirectory} (one data file per shard, see {@link
 * RegionDirectoryFactory}), and the index settings of {@link RegionStoreSettings}.
 *
 * <p>OpenSearch creates one instance per node and calls it from any thread; it holds no state.
 */
public final class RegionStorePlugin extends Plugin implements IndexStorePlugin {
  /** The value of {@code index.store.type} that selects this store. */
  public static final String STORE_TYPE = "regionstore";

  /** Called by OpenSearch's plugin loader. */
  public RegionStorePlugin() {}

  @Override
  public Map<String, DirectoryFactory> getDirectoryFactories() {
    return Map.of(STORE_TYPE, new RegionDirectoryFactory());
  }

  @Override
  public List<Setting<?>> getSettings() {
    return RegionStoreSettings.ALL;
  }
}
