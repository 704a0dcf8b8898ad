package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import io.regionstore.pack.PackedRegion;
import io.regionstore.remote.HttpRangeSource;
import io.regionstore.remote.RemoteStoreStats;
import io.regionstore.remote.SourceChangedException;
import io.regionstore.testserver.JettyRangeServer;
import io.regionstore.testserver.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote directory following a new version published at the same URL (Jetty): version 1 is
 * 3,000 Europarl documents in three segments; version 2 adds two segments and merges the first two
 * of version 1. {@code openIfChanged} moves to it fetching only blocks of files version 1 did not
 * have, with exactly the hits of a local open of version 2, while the old reader keeps serving what
 * it cached and fails a miss in a file that is gone with {@link SourceChangedException}.
 */
class TestRemoteRegionDirectoryRefresh {
  private static final int BLOCK = 4096;

  @TempDir Path folder;

  @Test
  void aNewVersionCostsOnlyItsNewFilesAndGivesTheLocalHits() throws Exception {
    List<String> lines = EuroparlIndex.lines(4000);
    Path served = Files.createDirectories(folder.resolve("served"));
    try (RegionDirectory index = new RegionDirectory(folder.resolve("index"));
        JettyRangeServer server = JettyRangeServer.start(served);
        SlotCache cache =
            SlotCache.open(folder.resolve("cache"), CacheOptions.builder().blockSize(BLOCK).build())) {
      try (IndexWriter w = new IndexWriter(index, new IndexWriterConfig(new StandardAnalyzer()))) {
        add(w, lines, 0, 3000, 1000);
        w.deleteDocuments(new Term("id", "7"));
        w.commit();
      }
      PackedFront v1 = publish(index, served, 1);
      // the local opens of each version read the packed files themselves
      try (RegionDirectory packedV1 = RegionDirectory.openReadOnly(folder.resolve("v1.pack"));
          DirectoryReader localV1 = DirectoryReader.open(packedV1);
          RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache);
          DirectoryReader old = DirectoryReader.open(remote)) {
        remote.setLookInterval(Duration.ZERO); // see a version published a moment ago
        assertEquals(3, old.leaves().size());
        SegmentCommitInfo first = ((SegmentReader) old.leaves().getFirst().reader()).getSegmentInfo();
        String mergedAway = largestFile(remote, first);
        IndexInput oldInput = remote.openInput(mergedAway, IOContext.DEFAULT);
        EuroparlIndex.assertSameHits(new IndexSearcher(localV1), new IndexSearcher(old));
        server.front().reset();
        assertNull(DirectoryReader.openIfChanged(old), "nothing new published");
        // isCurrent and the open each list the files: a probe each, nothing more
        assertEquals(2, server.front().requestCount(), "probes: " + server.front().requests());

        AtomicBoolean mergeOnce = new AtomicBoolean(true);
        IndexWriterConfig config =
            new IndexWriterConfig(new StandardAnalyzer()).setMergePolicy(new MergeFirstTwo(mergeOnce));
        try (IndexWriter w = new IndexWriter(index, config)) {
          add(w, lines, 3000, 4000, 500);
          w.forceMerge(4);
          w.commit();
        }
        assertFalse(mergeOnce.get(), "the merge ran");
        PackedFront v2 = publish(index, served, 2);
        Set<String> v1Contents = new HashSet<>();
        for (PackedRegion r : v1.regions()) {
          v1Contents.add(r.sha256Hex());
        }
        long newBytes = 0;
        long newBlockBytes = 0;
        for (PackedRegion r : v2.regions()) {
          if (!v1Contents.contains(r.sha256Hex())) {
            newBytes += r.length();
            newBlockBytes += (r.length() + BLOCK - 1) / BLOCK * BLOCK;
          }
        }

        RemoteStoreStats before = remote.stats();
        server.front().reset();
        assertFalse(Set.of(index.listAll()).contains(mergedAway), "merged away");
        try (RegionDirectory packedV2 = RegionDirectory.openReadOnly(folder.resolve("v2.pack"));
            DirectoryReader localV2 = DirectoryReader.open(packedV2);
            DirectoryReader current = DirectoryReader.openIfChanged(old)) {
          assertNotNull(current, "the new version is seen");
          assertEquals(4, current.leaves().size());
          assertEquals(localV2.numDocs(), current.numDocs());
          EuroparlIndex.assertSameHits(new IndexSearcher(localV2), new IndexSearcher(current));
          RemoteStoreStats after = remote.stats();
          long blockBytes = 0;
          for (RecordedRequest r : server.front().requests()) {
            long[] range = range(r);
            if (range[0] < v2.frontLength()) {
              continue; // the probe and the front
            }
            PackedRegion owner = regionAt(v2, range[0]);
            assertFalse(
                v1Contents.contains(owner.sha256Hex()),
                "fetched a block of \"" + owner.name() + "\", unchanged since version 1");
            blockBytes += range[1] - range[0] + 1;
          }
          long fetched = after.bytesFetched() - before.bytesFetched();
          assertEquals(v2.frontLength() + blockBytes, fetched, "the front and the blocks: all bytes counted");
          assertTrue(blockBytes <= newBlockBytes, blockBytes + " > " + newBlockBytes);
          System.out.printf(
              "refresh: version 2 is %d bytes, %d in files new since version 1 (%d regions of %d);"
                  + " openIfChanged + the query mix fetched %d bytes (front %d + blocks %d) in %d requests%n",
              v2.fileLength(), newBytes, v2.regions().stream().filter(r -> !v1Contents.contains(r.sha256Hex())).count(),
              v2.regions().size(), fetched, v2.frontLength(), blockBytes, after.requests() - before.requests());
          System.out.printf(
              "refresh: the same mix on version 2 from an empty cache fetches %d bytes%n",
              coldBytes(server, localV2));
        }

        EuroparlIndex.assertSameHits(new IndexSearcher(localV1), new IndexSearcher(old));
        // an input of version 1 on a file merged away: what it has not cached fails clearly
        assertFalse(Set.of(remote.listAll()).contains(mergedAway));
        byte[] buffer = new byte[BLOCK];
        SourceChangedException e =
            assertThrows(
                SourceChangedException.class,
                () -> {
                  for (long left = oldInput.length(); left > 0; left -= buffer.length) {
                    oldInput.readBytes(buffer, 0, (int) Math.min(left, buffer.length));
                  }
                });
        assertTrue(e.getMessage().contains(server.uri("europarl.pack").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("was replaced"), e.getMessage());
        oldInput.close();
      }
    }
  }

  @Test
  void aDirectoryOnABareSourceStaysOnItsVersion() throws Exception {
    Path served = Files.createDirectories(folder.resolve("served"));
    try (RegionDirectory index = new RegionDirectory(folder.resolve("index"));
        JettyRangeServer server = JettyRangeServer.start(served);
        SlotCache cache = SlotCache.open(folder.resolve("cache"), CacheOptions.defaults())) {
      List<String> lines = EuroparlIndex.lines(200);
      try (IndexWriter w = new IndexWriter(index, new IndexWriterConfig(new StandardAnalyzer()))) {
        add(w, lines, 0, 100, 100);
      }
      publish(index, served, 1);
      try (RemoteRegionDirectory remote =
              RemoteRegionDirectory.open(HttpRangeSource.open(server.uri("europarl.pack")), cache);
          DirectoryReader reader = DirectoryReader.open(remote)) {
        try (IndexWriter w = new IndexWriter(index, new IndexWriterConfig(new StandardAnalyzer()))) {
          add(w, lines, 100, 200, 100);
        }
        publish(index, served, 2);
        server.front().reset();
        assertNull(DirectoryReader.openIfChanged(reader), "it cannot look for a new version");
        assertEquals(0, server.front().requestCount(), "and does not ask");
        assertEquals(100, reader.numDocs());
      }
    }
  }

  /** Bytes the query mix on the served version fetches through a new directory and an empty cache. */
  private long coldBytes(JettyRangeServer server, DirectoryReader local) throws IOException {
    try (SlotCache cache =
            SlotCache.open(folder.resolve("cold"), CacheOptions.builder().blockSize(BLOCK).build());
        RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache);
        DirectoryReader reader = DirectoryReader.open(remote)) {
      EuroparlIndex.assertSameHits(new IndexSearcher(local), new IndexSearcher(reader));
      return remote.stats().bytesFetched();
    }
  }

  /** The largest file of a segment (its compound file, if it has one). */
  private static String largestFile(RemoteRegionDirectory dir, SegmentCommitInfo segment) throws IOException {
    String largest = null;
    for (String f : segment.files()) {
      if (largest == null || dir.fileLength(f) > dir.fileLength(largest)) {
        largest = f;
      }
    }
    return largest;
  }

  private static void add(IndexWriter w, List<String> lines, int from, int to, int perCommit)
      throws IOException {
    for (int i = from; i < to; i++) {
      w.addDocument(EuroparlIndex.doc(i, lines.get(i)));
      if ((i + 1 - from) % perCommit == 0) {
        w.commit();
      }
    }
  }

  /**
   * Packs the last commit and publishes it as the served {@code europarl.pack} in one atomic move,
   * so the server never shows a partial file; returns its front.
   */
  private PackedFront publish(RegionDirectory index, Path served, int version) throws IOException {
    index.syncMetaData(); // the writer's deletions after its last commit, so the pack leaves them out
    Path packed = folder.resolve("v" + version + ".pack");
    index.pack(packed);
    Path temp = served.resolve("europarl.pack.tmp");
    Files.copy(packed, temp, StandardCopyOption.REPLACE_EXISTING);
    // validators of a second's resolution: each version gets its own
    Files.setLastModifiedTime(temp, FileTime.fromMillis(System.currentTimeMillis() + 10_000L * version));
    Files.move(temp, served.resolve("europarl.pack"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return PackedFileReader.read(packed);
  }

  /** First and last byte of a request's {@code Range: bytes=a-b}. */
  private static long[] range(RecordedRequest r) {
    String value = r.header("range");
    assertNotNull(value, r.toString());
    String[] ab = value.substring("bytes=".length()).split("-");
    return new long[] {Long.parseLong(ab[0]), Long.parseLong(ab[1])};
  }

  private static PackedRegion regionAt(PackedFront front, long fileOffset) {
    for (PackedRegion r : front.regions()) {
      for (int i = 0; i < r.extentCount(); i++) {
        if (fileOffset >= r.extentOffset(i) && fileOffset < r.extentOffset(i) + r.extentLength(i)) {
          return r;
        }
      }
    }
    throw new AssertionError("no region at file offset " + fileOffset);
  }

  /** Merges the first two segments, once, when a forced merge is asked for; no other merges. */
  private static final class MergeFirstTwo extends FilterMergePolicy {
    private final AtomicBoolean once;

    MergeFirstTwo(AtomicBoolean once) {
      super(new TieredMergePolicy());
      this.once = once;
    }

    @Override
    public MergeSpecification findMerges(
        org.apache.lucene.index.MergeTrigger trigger, SegmentInfos infos, MergeContext context) {
      return null;
    }

    @Override
    public MergeSpecification findForcedMerges(
        SegmentInfos infos, int maxSegments, Map<SegmentCommitInfo, Boolean> toMerge, MergeContext context) {
      if (!once.getAndSet(false)) {
        return null;
      }
      MergeSpecification spec = new MergeSpecification();
      spec.add(new MergePolicy.OneMerge(List.of(infos.info(0), infos.info(1))));
      return spec;
    }
  }
}
