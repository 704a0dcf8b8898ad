package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.CacheStats;
import io.regionstore.cache.SlotCache;
import io.regionstore.errors.CorruptStoreException;
import io.regionstore.remote.RemoteStoreStats;
import io.regionstore.remote.SourceChangedException;
import io.regionstore.testserver.JettyRangeServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A packed Europarl index served by Jetty (a real, independent HTTP Range implementation) and
 * searched through {@link RemoteRegionDirectory#open}: the same hits as the local index, few
 * requests to open, constant eviction under 8 threads, and a replaced file reported clearly.
 */
class TestRemoteRegionDirectory {
  private static final int DOCS = 4000;

  @TempDir static Path shared;
  static Path index;
  static Path served;
  static JettyRangeServer server;
  static RegionDirectory local;
  static DirectoryReader localReader;

  @TempDir Path cacheFolder;

  @BeforeAll
  static void buildPackAndServe() throws Exception {
    index = shared.resolve("index");
    served = Files.createDirectories(shared.resolve("served"));
    EuroparlIndex.build(index, DOCS);
    try (RegionDirectory dir = RegionDirectory.openReadOnly(index)) {
      dir.pack(served.resolve("europarl.pack"));
    }
    server = JettyRangeServer.start(served);
    local = RegionDirectory.openReadOnly(index);
    localReader = DirectoryReader.open(local);
  }

  @AfterAll
  static void stop() throws Exception {
    localReader.close();
    local.close();
    server.close();
  }

  private static CacheOptions smallCache(int blockSize, int maxBlocks) {
    return CacheOptions.builder()
        .blockSize(blockSize)
        .initialCapacity((long) blockSize * Math.min(4, maxBlocks))
        .maxCapacity((long) blockSize * maxBlocks)
        .build();
  }

  @Test
  void searchingOverHttpGivesExactlyTheLocalHits() throws IOException {
    server.front().reset();
    try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
        RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache);
        DirectoryReader reader = DirectoryReader.open(remote)) {
      assertEquals(localReader.numDocs(), reader.numDocs());
      assertArrayEquals(local.listAll(), remote.listAll());
      for (String name : local.listAll()) {
        assertEquals(local.fileLength(name), remote.fileLength(name), name);
      }
      EuroparlIndex.assertSameHits(new IndexSearcher(localReader), new IndexSearcher(reader));
      RemoteStoreStats stats = remote.stats();
      assertEquals(server.front().requestCount(), stats.requests(), "every request is counted");
      assertTrue(stats.bytesFetched() < Files.size(served.resolve("europarl.pack")), stats.toString());
    }
  }

  @Test
  void openingADirectoryReaderCostsAtMostThreeRequests() throws IOException {
    server.front().reset();
    try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
        RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache);
        DirectoryReader reader = DirectoryReader.open(remote)) {
      int atOpen = server.front().requestCount();
      long bytesAtOpen = remote.stats().bytesFetched();
      // the store's probe and front (2 or 3), and listAll's look for a new version (1)
      assertTrue(atOpen <= 3, "requests to open the store and a DirectoryReader: " + atOpen);
      assertEquals(atOpen, remote.stats().requests());
      assertEquals(DOCS - 1, reader.numDocs());
      TopDocs hits = new IndexSearcher(reader).search(new TermQuery(new Term("body", "president")), 10);
      assertTrue(hits.totalHits.value() > 0);
      assertTrue(server.front().requestCount() > atOpen, "the search fetched postings: the count above could fail");
      System.out.printf(
          "remote open: %d requests, %d bytes; after one term query: %d requests, %d bytes%n",
          atOpen, bytesAtOpen, remote.stats().requests(), remote.stats().bytesFetched());
    }
  }

  @Test
  void eightThreadsOnACacheFarSmallerThanTheIndexAgreeWithTheLocalIndex() throws Exception {
    int blockSize = 4096;
    int maxBlocks = 24; // 96 KiB of cache for an index of several MiB: constant eviction
    List<Query> queries = EuroparlIndex.queries();
    IndexSearcher localSearcher = new IndexSearcher(localReader);
    List<TopDocs> expected = new ArrayList<>();
    for (Query q : queries) {
      expected.add(localSearcher.search(q, 20));
    }
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try (SlotCache cache = SlotCache.open(cacheFolder, smallCache(blockSize, maxBlocks));
        RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache);
        DirectoryReader reader = DirectoryReader.open(remote)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long seed = t;
        done.add(
            threads.submit(
                () -> {
                  Random random = new Random(seed);
                  int checked = 0;
                  for (int i = 0; i < 25; i++) {
                    int k = random.nextInt(queries.size());
                    TopDocs got = searcher.search(queries.get(k), 20);
                    assertEquals(expected.get(k).totalHits, got.totalHits, queries.get(k).toString());
                    assertArrayEquals(EuroparlIndex.docs(expected.get(k)), EuroparlIndex.docs(got));
                    assertArrayEquals(EuroparlIndex.scores(expected.get(k)), EuroparlIndex.scores(got));
                    checked++;
                    CacheStats c = cache.stats();
                    assertTrue(c.slots() <= maxBlocks && c.slotsUsed() <= maxBlocks, c.toString());
                  }
                  return checked;
                }));
      }
      int checked = 0;
      for (Future<Integer> f : done) {
        checked += f.get(120, TimeUnit.SECONDS);
      }
      assertEquals(200, checked);
      CacheStats c = cache.stats();
      assertTrue(c.evictions() > 100, "the cache was meant to evict constantly: " + c);
      assertTrue(c.fileBytes() <= (long) blockSize * maxBlocks, c.toString());
      assertTrue(Files.size(cacheFolder.resolve("regionstore.cache")) <= (long) blockSize * maxBlocks);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aFileReplacedOnTheServerFailsMissesClearlyAndNeverMixesVersions() throws Exception {
    Path file = served.resolve("replaced.pack");
    Files.copy(served.resolve("europarl.pack"), file, StandardCopyOption.REPLACE_EXISTING);
    try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
        RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("replaced.pack"), cache);
        DirectoryReader reader = DirectoryReader.open(remote)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      Query cached = new TermQuery(new Term("body", "president"));
      TopDocs before = searcher.search(cached, 10);

      Path other = shared.resolve("other.pack");
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length - 1] ^= 1; // same length, other content
      Files.write(other, bytes);
      Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

      TopDocs again = searcher.search(cached, 10);
      assertArrayEquals(EuroparlIndex.docs(before), EuroparlIndex.docs(again), "cached blocks still serve");
      SourceChangedException e =
          assertThrows(
              SourceChangedException.class,
              () -> searcher.search(new TermQuery(new Term("body", "fisheries")), 10));
      assertTrue(e.getMessage().contains(server.uri("replaced.pack").toString()), e.getMessage());
      assertTrue(e.getMessage().contains("was replaced"), e.getMessage());
    }
  }

  @Test
  void aFileUriIsReadThroughTheSameCache() throws IOException {
    URI uri = served.resolve("europarl.pack").toUri();
    try (RemoteRegionDirectory remote = RemoteRegionDirectory.open(uri, cacheFolder, CacheOptions.defaults());
        DirectoryReader reader = DirectoryReader.open(remote)) {
      EuroparlIndex.assertSameHits(new IndexSearcher(localReader), new IndexSearcher(reader));
    }
    // The owned cache was closed with the directory (its lock released) and kept for the next open.
    try (SlotCache again = SlotCache.open(cacheFolder, CacheOptions.defaults())) {
      assertTrue(again.stats().adopted() > 0, "adopted " + again.stats().adopted());
    }
  }

  @Test
  void aServedFileThatIsNotAPackedStoreIsRejectedWithoutItsQueryString() throws IOException {
    byte[] junk = new byte[100_000];
    new Random(3).nextBytes(junk);
    Files.write(served.resolve("junk.bin"), junk);
    URI presigned = URI.create(server.uri("junk.bin") + "?X-Amz-Signature=secret123");
    try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults())) {
      CorruptStoreException e =
          assertThrows(CorruptStoreException.class, () -> RemoteRegionDirectory.open(presigned, cache));
      assertTrue(e.getMessage().contains(server.uri("junk.bin").toString()), e.getMessage());
      assertFalse(e.getMessage().contains("secret123"), e.getMessage());
    }
  }

  @Test
  void writesAndLocksAreRefused() throws IOException {
    try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
        RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache)) {
      String name = remote.listAll()[0];
      assertThrows(UnsupportedOperationException.class, () -> remote.deleteFile(name));
      assertThrows(UnsupportedOperationException.class, () -> remote.createOutput("x", null));
      assertThrows(UnsupportedOperationException.class, () -> remote.obtainLock("write.lock"));
      assertThrows(UnsupportedOperationException.class, remote::syncMetaData);
      assertThrows(java.nio.file.NoSuchFileException.class, () -> remote.openInput("missing", null));
    }
  }
}
