package io.regionstore.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.env.ShardLock;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.shard.ShardPath;
import org.opensearch.index.store.Store;
import org.opensearch.test.IndexSettingsModule;
import org.opensearch.test.OpenSearchTestCase;

// The tests assert the exact set of plain files in a shard folder; Lucene's ExtrasFS would add
// random "extra0" files to it (seed-dependent), so it is suppressed here.
@LuceneTestCase.SuppressFileSystems("ExtrasFS")
public class CommitPointMirrorTests extends OpenSearchTestCase {
  private final ShardId shardId = new ShardId("idx", "_na_", 0);

  public void testNoCommitNoMirror() throws Exception {
    ShardPath path = shardPath();
    try (Directory dir = open(path)) {
      assertEquals(Set.of(), mirrorFiles(path.resolveIndex()));
    }
  }

  public void testEachCommitIsReadableAsPlainFilesAndOnlyTheLastIsKept() throws Exception {
    ShardPath path = shardPath();
    Path folder = path.resolveIndex();
    try (Directory dir = open(path);
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
      for (int commit = 1; commit <= 3; commit++) {
        for (int i = 0; i < 10; i++) {
          Document doc = new Document();
          doc.add(new StringField("id", commit + "-" + i, Field.Store.YES));
          writer.addDocument(doc);
        }
        writer.commit();
        assertMirrorsLastCommit(dir, folder);
      }
      writer.forceMerge(1);
      writer.commit();
      SegmentInfos merged = assertMirrorsLastCommit(dir, folder);
      assertEquals(1, merged.size());
      assertEquals(30, merged.totalMaxDoc());
    }
    // OpenSearch's own check before it allocates a primary from this copy.
    Store.tryOpenIndex(folder, shardId, (id, details, timeout) -> new NoopShardLock(id), logger);
  }

  public void testCorruptionMarkersAreMirrored() throws Exception {
    ShardPath path = shardPath();
    try (Directory dir = open(path)) {
      try (IndexOutput out = dir.createOutput("corrupted_abc", IOContext.DEFAULT)) {
        out.writeString("marker");
      }
      dir.sync(List.of("corrupted_abc"));
      dir.syncMetaData();
      assertEquals(Set.of("corrupted_abc"), mirrorFiles(path.resolveIndex()));
      assertEquals(Files.size(path.resolveIndex().resolve("corrupted_abc")), dir.fileLength("corrupted_abc"));
    }
  }

  public void testOpeningRepairsAMirrorACrashLeftBehind() throws Exception {
    ShardPath path = shardPath();
    Path folder = path.resolveIndex();
    try (Directory dir = open(path);
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
      writer.addDocument(new Document());
      writer.commit();
    }
    Set<String> mirrored = mirrorFiles(folder);
    // As if the process died while writing the mirror: files missing, one truncated, a temp file.
    String segments = mirrored.stream().filter(n -> n.startsWith("segments_")).findFirst().orElseThrow();
    String si = mirrored.stream().filter(n -> n.endsWith(".si")).findFirst().orElseThrow();
    byte[] siBytes = Files.readAllBytes(folder.resolve(si));
    Files.delete(folder.resolve(segments));
    Files.write(folder.resolve(si), new byte[] {1, 2, 3});
    Files.write(folder.resolve("segments_9.mirror-tmp"), new byte[] {1});
    try (Directory dir = open(path)) {
      assertEquals(mirrored, mirrorFiles(folder));
      assertArrayEquals(siBytes, Files.readAllBytes(folder.resolve(si)));
      assertFalse(Files.exists(folder.resolve("segments_9.mirror-tmp")));
    }
  }

  private SegmentInfos assertMirrorsLastCommit(Directory dir, Path folder) throws Exception {
    SegmentInfos store = SegmentInfos.readLatestCommit(dir);
    Set<String> expected = new TreeSet<>();
    expected.add(store.getSegmentsFileName());
    for (SegmentCommitInfo info : store) {
      expected.add(info.info.name + ".si");
    }
    assertEquals(expected, mirrorFiles(folder));
    try (Directory plain = new NIOFSDirectory(folder)) {
      SegmentInfos mirror = SegmentInfos.readLatestCommit(plain);
      assertEquals(store.getGeneration(), mirror.getGeneration());
      assertEquals(store.getUserData(), mirror.getUserData());
      assertEquals(store.asList().stream().map(c -> c.info.name).toList(), mirror.asList().stream().map(c -> c.info.name).toList());
    }
    return store;
  }

  /** Files in the folder other than the store's own and the lock. */
  private static Set<String> mirrorFiles(Path folder) throws Exception {
    Set<String> names = RegionStoreIntegTestCase.fileNames(folder);
    names.removeIf(n -> n.startsWith("regionstore.") || n.equals("write.lock"));
    return names;
  }

  private Directory open(ShardPath path) throws Exception {
    IndexSettings settings = IndexSettingsModule.newIndexSettings("idx", Settings.EMPTY, RegionStoreSettings.CHUNK_SIZE, RegionStoreSettings.PRELOAD);
    return new RegionDirectoryFactory().newDirectory(settings, path);
  }

  private ShardPath shardPath() {
    Path shardFolder = createTempDir().resolve("indices").resolve("_na_").resolve("0");
    return new ShardPath(false, shardFolder, shardFolder, shardId);
  }

  private static final class NoopShardLock extends ShardLock {
    NoopShardLock(ShardId id) {
      super(id);
    }

    @Override
    protected void closeInternal() {}
  }
}
