package io.regionstore.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.action.admin.cluster.snapshots.create.CreateSnapshotResponse;
import org.opensearch.action.admin.cluster.snapshots.restore.RestoreSnapshotResponse;
import org.opensearch.action.admin.indices.segments.IndexShardSegments;
import org.opensearch.action.admin.indices.segments.ShardSegments;
import org.opensearch.cluster.routing.allocation.command.MoveAllocationCommand;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.snapshots.SnapshotState;
import org.opensearch.test.OpenSearchIntegTestCase.ClusterScope;
import org.opensearch.test.OpenSearchIntegTestCase.Scope;

/**
 * The {@code regionstore} store type in a real cluster (nodes in this JVM, real transport): the
 * Europarl corpus indexed into a {@code regionstore} index and into an index of the default store
 * ({@code fs}), one primary and one replica each, gives the same search results on every copy
 * through every step a shard goes through in production.
 */
@ClusterScope(scope = Scope.TEST, numDataNodes = 0, numClientNodes = 0, supportsDedicatedMasters = false)
public class RegionStoreClusterTests extends RegionStoreIntegTestCase {
  private static final String RS = "rs";
  private static final String FS = "fs";

  /** Replication, a node leaving and a new one joining (peer recovery), full restart, relocation. */
  public void testReplicationRecoveryRestartRelocation() throws Exception {
    List<String> nodes = new ArrayList<>(internalCluster().startNodes(2));
    indexCorpusIntoBoth();
    List<String> expected = CorpusQueries.results(client(), FS, null);
    assertEquals(expected, CorpusQueries.results(client(), RS, null));
    assertCopiesMatch(expected, 2);
    // The reference results are known; its single copy would not survive the node leaving.
    assertAcked(client().admin().indices().prepareDelete(FS));

    // A node leaves; a new node joins and peer recovery copies the shard into a new store there.
    String leaving = nodes.remove(randomIntBetween(0, 1));
    internalCluster().stopRandomNode(s -> s.get("node.name").equals(leaving));
    String joined = internalCluster().startNode();
    nodes.add(joined);
    ensureGreen(TimeValue.timeValueMinutes(2), RS);
    List<ShardCopy> copies = assertRegionStoreCopies(RS, 2);
    assertTrue(copies + " has no copy on " + joined, copies.stream().anyMatch(c -> c.node().equals(joined)));
    assertCopiesMatch(expected, 2);

    // Full cluster restart: every store is closed and reopened from disk.
    internalCluster().fullRestart();
    ensureGreen(TimeValue.timeValueMinutes(2), RS);
    assertCopiesMatch(expected, 2);

    // Relocation: move the primary to a third node; the old node then deletes its copy.
    String third = internalCluster().startNode();
    ShardCopy primary =
        shardCopies(RS).stream().filter(c -> c.shard().routingEntry().primary()).findFirst().orElseThrow();
    Path oldFolder = primary.shard().shardPath().resolveIndex();
    assertAcked(
        client()
            .admin()
            .cluster()
            .prepareReroute()
            .add(new MoveAllocationCommand(RS, 0, primary.node(), third)));
    ClusterHealthResponse health =
        client()
            .admin()
            .cluster()
            .prepareHealth(RS)
            .setWaitForGreenStatus()
            .setWaitForNoRelocatingShards(true)
            .setTimeout(TimeValue.timeValueMinutes(2))
            .get();
    assertFalse("relocation timed out: " + health, health.isTimedOut());
    copies = assertRegionStoreCopies(RS, 2);
    assertTrue(
        copies + " has no primary on " + third,
        copies.stream().anyMatch(c -> c.node().equals(third) && c.shard().routingEntry().primary()));
    assertCopiesMatch(expected, 2);
    assertBusy(() -> assertFalse(oldFolder + " still exists", Files.exists(oldFolder)));
  }

  /**
   * Snapshot to an {@code fs} repository and restore into {@code regionstore} indices (from a
   * {@code regionstore} index and from a default-store one), force merge, close/open, delete.
   */
  public void testSnapshotRestoreForceMergeCloseOpenDelete() throws Exception {
    internalCluster().startNodes(2);
    indexCorpusIntoBoth();
    List<String> expected = CorpusQueries.results(client(), FS, null);
    assertEquals(expected, CorpusQueries.results(client(), RS, null));

    assertAcked(
        client()
            .admin()
            .cluster()
            .preparePutRepository("repo")
            .setType("fs")
            .setSettings(Settings.builder().put("location", randomRepoPath())));
    CreateSnapshotResponse snapshot =
        client()
            .admin()
            .cluster()
            .prepareCreateSnapshot("repo", "snap")
            .setIndices(RS, FS)
            .setWaitForCompletion(true)
            .get();
    assertEquals(SnapshotState.SUCCESS, snapshot.getSnapshotInfo().state());
    assertEquals(2, snapshot.getSnapshotInfo().successfulShards());
    for (String source : List.of(RS, FS)) {
      String target = source + "-restored";
      RestoreSnapshotResponse restore =
          client()
              .admin()
              .cluster()
              .prepareRestoreSnapshot("repo", "snap")
              .setIndices(source)
              .setRenamePattern(source)
              .setRenameReplacement(target)
              .setIndexSettings(
                  Settings.builder()
                      .put("index.store.type", RegionStorePlugin.STORE_TYPE)
                      .put("index.number_of_replicas", 1))
              .setWaitForCompletion(true)
              .get();
      assertEquals(1, restore.getRestoreInfo().successfulShards());
      ensureGreen(TimeValue.timeValueMinutes(2), target);
      assertEquals(
          RegionStorePlugin.STORE_TYPE,
          client().admin().indices().prepareGetSettings(target).get().getSetting(target, "index.store.type"));
      assertRegionStoreCopies(target, 2);
      assertEquals(expected, CorpusQueries.results(client(), target, "_primary"));
      assertEquals(expected, CorpusQueries.results(client(), target, "_replica"));
    }

    // Force merge to one segment (a merge writes new files and deletes the old ones in the store).
    assertEquals(0, client().admin().indices().prepareForceMerge(RS).setMaxNumSegments(1).get().getFailedShards());
    refresh(RS);
    for (IndexShardSegments shard : client().admin().indices().prepareSegments(RS).get().getIndices().get(RS)) {
      for (ShardSegments copy : shard) {
        assertEquals("segments of " + copy.getShardRouting(), 1, copy.getSegments().size());
      }
    }
    assertCopiesMatch(expected, 2);

    assertAcked(client().admin().indices().prepareClose(RS));
    assertEquals(0, shardCopies(RS).size());
    assertAcked(client().admin().indices().prepareOpen(RS));
    ensureGreen(TimeValue.timeValueMinutes(2), RS);
    assertCopiesMatch(expected, 2);

    // Delete: every copy's store goes with its shard folder.
    List<Path> stores = new ArrayList<>();
    for (ShardCopy copy : shardCopies(RS)) {
      stores.add(copy.shard().shardPath().resolveIndex().resolve("regionstore.data"));
    }
    assertEquals(2, stores.size());
    for (Path store : stores) {
      assertTrue(store + " missing before the delete", Files.exists(store));
    }
    assertAcked(client().admin().indices().prepareDelete(RS));
    assertBusy(
        () -> {
          for (Path store : stores) {
            assertFalse(store.getParent().getParent() + " still exists", Files.exists(store.getParent().getParent()));
          }
        });
  }

  private void indexCorpusIntoBoth() {
    // The default-store index is the reference: one copy of it is enough.
    Settings bulkLoad = Settings.builder().put("index.refresh_interval", "-1").build();
    createCorpusIndex(RS, RegionStorePlugin.STORE_TYPE, 1, 1, bulkLoad);
    createCorpusIndex(FS, "fs", 1, 0, bulkLoad);
    ensureGreen(TimeValue.timeValueMinutes(2), RS, FS);
    Europarl.index(client(), RS, Europarl.SIZE);
    Europarl.index(client(), FS, Europarl.SIZE);
    assertEquals(Europarl.SIZE, client().prepareSearch(RS).setSize(0).setTrackTotalHits(true).get().getHits().getTotalHits().value());
  }

  /**
   * Asserts that {@link #RS} has {@code copies} started copies, all region stores, and that each
   * copy alone (searched through its own node) gives {@code expected}.
   */
  private void assertCopiesMatch(List<String> expected, int copies) throws Exception {
    for (ShardCopy copy : assertRegionStoreCopies(RS, copies)) {
      assertEquals(copy.toString(), expected, CorpusQueries.results(client(copy.node()), RS, "_only_local"));
    }
  }
}
