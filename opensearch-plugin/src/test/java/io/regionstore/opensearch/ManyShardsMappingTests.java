package io.regionstore.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.util.Constants;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.test.OpenSearchIntegTestCase.ClusterScope;
import org.opensearch.test.OpenSearchIntegTestCase.Scope;

/**
 * Many shards on one node: how many memory mappings (kernel VMAs, what {@code vm.max_map_count}
 * caps) the shards' files take with {@code regionstore} and with OpenSearch's own store types, read
 * from {@code /proc/self/maps} after every shard has been searched. Measured with the segments of
 * a freshly indexed index (small, compound files) and after a force merge to one segment per shard
 * (one file per Lucene format: the layout of large shards).
 *
 * <p>The figures are logged as {@code MAPPINGS store=... shards=... state=... Counts[...]} lines.
 * {@value #SHARDS} shards; with {@code -Dregionstore.tests.long=true} {@value #SHARDS_LONG} shards
 * and {@code mmapfs} measured too.
 */
@ClusterScope(scope = Scope.TEST, numDataNodes = 0, numClientNodes = 0, supportsDedicatedMasters = false)
public class ManyShardsMappingTests extends RegionStoreIntegTestCase {
  static final int SHARDS = 100;
  static final int SHARDS_LONG = 500;

  private static boolean longRun() {
    return Boolean.getBoolean("regionstore.tests.long");
  }

  private static int shards() {
    return longRun() ? SHARDS_LONG : SHARDS;
  }

  @Override
  protected Settings nodeSettings(int nodeOrdinal) {
    return Settings.builder()
        .put(super.nodeSettings(nodeOrdinal))
        .put("cluster.max_shards_per_node", 2 * SHARDS_LONG)
        .build();
  }

  /**
   * A regionstore shard whose store is smaller than one chunk maps exactly two things, whatever
   * its segments: the one chunk of its data file and its reader table ({@code regionstore.readers},
   * one page that read-only processes use to pin commits). OpenSearch's default store ({@code fs},
   * hybrid: mmap for the formats searches read most) maps more than that, and more after a merge.
   */
  public void testTwoMappingsPerShardWhateverTheSegments() throws Exception {
    assumeTrue("reads /proc/self/maps", Constants.LINUX);
    internalCluster().startNode();
    int n = shards();
    Counts perShardStore = new Counts(2L * n, n, n);
    List<Counts> rs = measure("regionstore", n, true);
    assertEquals(List.of(perShardStore, perShardStore), rs);
    List<Counts> fs = measure("fs", n, true);
    assertTrue(fs + " vs " + rs, fs.get(0).all() > 2L * n && fs.get(1).all() > 2L * n);
    if (longRun()) {
      List<Counts> mmapfs = measure("mmapfs", n, true);
      assertTrue(mmapfs + " vs " + rs, mmapfs.get(1).all() > 2L * n);
    }
  }

  /**
   * With {@code node.store.allow_mmap: false} (how nodes pass the bootstrap check without raising
   * {@code vm.max_map_count}), OpenSearch's {@code fs} store reads through NIO (no mapping) and
   * {@code mmapfs} is refused, while regionstore still reads through its mappings, two per shard.
   */
  public void testAllowMmapFalseStillMapsRegionStores() throws Exception {
    assumeTrue("reads /proc/self/maps", Constants.LINUX);
    internalCluster().startNode(Settings.builder().put("node.store.allow_mmap", false));
    int n = shards();
    assertEquals(List.of(new Counts(2L * n, n, n)), measure("regionstore", n, false));
    assertEquals(List.of(new Counts(0, 0, 0)), measure("fs", n, false));
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> createCorpusIndex("mmap", "mmapfs", 1, 0, Settings.EMPTY));
    assertEquals("store type [mmapfs] is not allowed because mmap is disabled", e.getMessage());
  }

  /** Mappings of an index's files: all of them, and those of the store's data file and reader table. */
  record Counts(long all, long dataFile, long readerTable) {
    static Counts of(String folder) throws IOException {
      return new Counts(
          ProcessMappings.ofFilesContaining(folder),
          ProcessMappings.ofFiles(p -> p.contains(folder) && p.endsWith("/regionstore.data")),
          ProcessMappings.ofFiles(p -> p.contains(folder) && p.endsWith("/regionstore.readers")));
    }
  }

  /**
   * Creates an index of {@code storeType} with {@code n} shards, indexes part of the corpus in two
   * refreshes, searches every shard and counts the mappings of the index's files; if {@code merge},
   * force merges to one segment per shard, searches and counts again; deletes the index.
   *
   * @return the counts with the fresh segments, then (if merged) after the merge
   */
  private List<Counts> measure(String storeType, int n, boolean merge) throws Exception {
    String index = "many-" + storeType;
    createCorpusIndex(index, storeType, n, 0, Settings.builder().put("index.refresh_interval", "-1").build());
    ensureGreen(TimeValue.timeValueMinutes(5), index);
    String folder = "/indices/" + resolveIndex(index).getUUID() + "/";
    Europarl.index(client(), index, 10 * n);
    Europarl.indexRange(client(), index, 10 * n, 20 * n);
    searchAllShards(index, n);
    List<Counts> counts = new ArrayList<>();
    counts.add(Counts.of(folder));
    logger.info("MAPPINGS store={} shards={} state=fresh-segments {}", storeType, n, counts.get(0));
    if (merge) {
      assertEquals(0, client().admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get().getFailedShards());
      client().admin().indices().prepareRefresh(index).get();
      searchAllShards(index, n);
      counts.add(Counts.of(folder));
      logger.info("MAPPINGS store={} shards={} state=force-merged {}", storeType, n, counts.get(1));
    }
    assertAcked(client().admin().indices().prepareDelete(index));
    return counts;
  }

  private void searchAllShards(String index, int n) {
    SearchResponse response =
        client()
            .prepareSearch(index)
            .setQuery(QueryBuilders.matchQuery("body", "european commission"))
            .setTrackTotalHits(true)
            .get();
    assertEquals(n, response.getSuccessfulShards());
    assertTrue(response.getHits().getTotalHits().value() > 0);
  }
}
