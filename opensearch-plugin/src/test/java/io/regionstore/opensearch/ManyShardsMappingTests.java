package io.regionstore.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import java.util.List;
import org.apache.lucene.util.Constants;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.test.OpenSearchIntegTestCase.ClusterScope;
import org.opensearch.test.OpenSearchIntegTestCase.Scope;

/**
 * Many shards on one node: how many memory mappings (kernel VMAs, what {@code vm.max_map_count}
 * caps) the shards' files take with {@code regionstore} and with OpenSearch's own store types, read
 * from {@code /proc/self/maps} after every shard has been searched. Each index is measured twice:
 * with the segments of a fresh index (small, compound files) and after a force merge to one
 * segment per shard (one file per Lucene format, the layout of large shards).
 *
 * <p>The figures are logged as {@code MAPPINGS store=... shards=... state=... mappings=...}
 * lines. {@value #SHARDS} shards by default; {@value #SHARDS_LONG} with {@code
 * -Dregionstore.tests.long=true}.
 */
@ClusterScope(scope = Scope.TEST, numDataNodes = 0, numClientNodes = 0, supportsDedicatedMasters = false)
public class ManyShardsMappingTests extends RegionStoreIntegTestCase {
  static final int SHARDS = 100;
  static final int SHARDS_LONG = 500;

  private static int shards() {
    return Boolean.getBoolean("regionstore.tests.long") ? SHARDS_LONG : SHARDS;
  }

  @Override
  protected Settings nodeSettings(int nodeOrdinal) {
    return Settings.builder()
        .put(super.nodeSettings(nodeOrdinal))
        .put("cluster.max_shards_per_node", 2 * SHARDS_LONG)
        .build();
  }

  /**
   * A regionstore shard maps one chunk of its data file (its store is smaller than one chunk), so
   * the index takes exactly one mapping per shard in both states; OpenSearch's default store maps
   * compound and format files one by one.
   */
  public void testOneMappingPerShard() throws Exception {
    assumeTrue("reads /proc/self/maps", Constants.LINUX);
    internalCluster().startNode();
    int n = shards();
    long[] rs = measure("regionstore", n);
    long[] fs = measure("fs", n);
    long[] mmapfs = measure("mmapfs", n);
    assertEquals("regionstore mappings (fresh segments, force-merged)", List.of((long) n, (long) n), List.of(rs[0], rs[1]));
    assertTrue("fs after force merge maps " + fs[1] + " <= " + n, fs[1] > n);
    assertTrue("mmapfs after force merge maps " + mmapfs[1] + " <= " + n, mmapfs[1] > n);
  }

  /**
   * With {@code node.store.allow_mmap: false} (how nodes pass the bootstrap check without raising
   * {@code vm.max_map_count}) OpenSearch's stores read through NIO (no mapping) and refuse {@code
   * mmapfs}, while regionstore still reads through its mappings, one per shard.
   */
  public void testAllowMmapFalse() throws Exception {
    assumeTrue("reads /proc/self/maps", Constants.LINUX);
    internalCluster().startNode(Settings.builder().put("node.store.allow_mmap", false));
    int n = shards();
    long[] rs = measure("regionstore", n);
    long[] fs = measure("fs", n);
    assertEquals(List.of((long) n, (long) n), List.of(rs[0], rs[1]));
    assertEquals(List.of(0L, 0L), List.of(fs[0], fs[1]));
    IllegalArgumentException e =
        expectThrows(
            IllegalArgumentException.class,
            () -> createCorpusIndex("mmap", "mmapfs", 1, 0, Settings.EMPTY));
    assertEquals("store type [mmapfs] is not allowed because [node.store.allow_mmap] is false", e.getMessage());
  }

  /**
   * Creates an index of {@code storeType} with {@code n} shards, indexes part of the corpus,
   * searches every shard and counts the mappings of the index's files; force merges to one segment
   * per shard and counts again; deletes the index.
   *
   * @return mappings with the fresh segments, and after the force merge
   */
  private long[] measure(String storeType, int n) throws Exception {
    String index = "many-" + storeType;
    createCorpusIndex(index, storeType, n, 0, Settings.builder().put("index.refresh_interval", "-1").build());
    ensureGreen(TimeValue.timeValueMinutes(5), index);
    String uuidPath = "/indices/" + resolveIndex(index).getUUID() + "/";
    // Two refreshes, so every shard has two or more segments before the merge.
    Europarl.index(client(), index, 10 * n);
    Europarl.indexRange(client(), index, 10 * n, 20 * n);
    searchAllShards(index, n);
    long fresh = ProcessMappings.ofFilesContaining(uuidPath);
    assertEquals(
        0, client().admin().indices().prepareForceMerge(index).setMaxNumSegments(1).get().getFailedShards());
    client().admin().indices().prepareRefresh(index).get();
    searchAllShards(index, n);
    long merged = ProcessMappings.ofFilesContaining(uuidPath);
    logger.info(
        "MAPPINGS store={} shards={} state=fresh-segments mappings={}", storeType, n, fresh);
    logger.info(
        "MAPPINGS store={} shards={} state=force-merged mappings={}", storeType, n, merged);
    assertAcked(client().admin().indices().prepareDelete(index));
    return new long[] {fresh, merged};
  }

  private void searchAllShards(String index, int n) {
    var response =
        client()
            .prepareSearch(index)
            .setQuery(QueryBuilders.matchQuery("body", "european commission"))
            .setTrackTotalHits(true)
            .get();
    assertEquals(n, response.getSuccessfulShards());
    assertTrue(response.getHits().getTotalHits().value() > 0);
  }
}
