package io.regionstore.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.index.Index;
import org.opensearch.index.IndexService;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * Base of the cluster tests: nodes load {@link RegionStorePlugin}, and helpers create corpus
 * indices and inspect the shard copies each node holds.
 */
// assertRegionStoreCopies checks the exact file names of shard folders; Lucene's ExtrasFS would add
// random "extra0" files to them (seed-dependent), so it is suppressed for every cluster test.
@LuceneTestCase.SuppressFileSystems("ExtrasFS")
abstract class RegionStoreIntegTestCase extends OpenSearchIntegTestCase {
  /**
   * The names the index folder of a regionstore shard may hold: the store's own files ({@code
   * regionstore.data} and its lock and reader files), Lucene's {@code write.lock} and the commit
   * point mirror ({@code segments_N} and {@code .si} files); no other Lucene file.
   */
  static final String STORE_FILE_NAMES = "regionstore\\.[a-z]+|write\\.lock|segments_[0-9a-z]+|_[0-9a-z]+\\.si";

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(RegionStorePlugin.class);
  }

  /**
   * Creates {@code name} with the corpus mapping, {@code index.store.type} {@code storeType} (set
   * explicitly, so that no randomized test template picks another) and these shard counts.
   */
  void createCorpusIndex(String name, String storeType, int shards, int replicas, Settings extra) {
    Settings settings =
        Settings.builder()
            .put("index.store.type", storeType)
            .put("index.number_of_shards", shards)
            .put("index.number_of_replicas", replicas)
            .put(extra)
            .build();
    assertAcked(
        client().admin().indices().prepareCreate(name).setSettings(settings).setMapping(Europarl.MAPPING));
  }

  /** Every started copy of {@code index}'s shards, on every node, with the node's name. */
  List<ShardCopy> shardCopies(String index) {
    Index resolved = resolveIndex(index);
    List<ShardCopy> out = new ArrayList<>();
    for (String node : internalCluster().getNodeNames()) {
      IndexService service = internalCluster().getInstance(IndicesService.class, node).indexService(resolved);
      if (service == null) {
        continue;
      }
      for (IndexShard shard : service) {
        if (shard.routingEntry() != null && shard.routingEntry().started()) {
          out.add(new ShardCopy(node, shard));
        }
      }
    }
    return out;
  }

  /**
   * Asserts that each of {@code expectedCopies} started copies of {@code index} reads and writes a
   * {@link RegionDirectory}, and that its index folder holds the store's files and no Lucene file.
   *
   * @return the copies
   */
  List<ShardCopy> assertRegionStoreCopies(String index, int expectedCopies) throws IOException {
    List<ShardCopy> copies = shardCopies(index);
    assertEquals("started copies of " + index + ": " + copies, expectedCopies, copies.size());
    for (ShardCopy copy : copies) {
      Directory unwrapped = FilterDirectory.unwrap(copy.shard().store().directory());
      assertTrue(copy + " has " + unwrapped, unwrapped instanceof RegionDirectory);
      Path folder = copy.shard().shardPath().resolveIndex();
      Set<String> names = fileNames(folder);
      assertTrue(
          copy + " folder " + folder + " holds " + names,
          names.stream().allMatch(n -> n.matches(STORE_FILE_NAMES)));
      assertTrue(copy + " folder " + folder + " holds " + names, names.contains("regionstore.data"));
      assertEquals(
          copy + " mirrors its last commit point in " + names,
          SegmentInfos.getLastCommitSegmentsFileName(unwrapped.listAll()),
          SegmentInfos.getLastCommitSegmentsFileName(names.toArray(String[]::new)));
    }
    return copies;
  }

  static Set<String> fileNames(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** One copy of a shard as one node holds it. */
  record ShardCopy(String node, IndexShard shard) {
    @Override
    public String toString() {
      return shard.shardId() + (shard.routingEntry().primary() ? "[P]" : "[R]") + " on " + node;
    }
  }
}
