package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.CacheStats;
import io.regionstore.cache.SlotCache;
import io.regionstore.testserver.JettyRangeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search process restarted on its cache folder: the same query mix over HTTP makes no request for
 * the blocks the first process cached, and gives the local index's hits.
 */
class TestRemoteCacheRestart {
  @TempDir Path dir;

  @Test
  void theSameQueryMixAfterARestartMakesNoBlockRequests() throws Exception {
    Path index = dir.resolve("index");
    Path served = Files.createDirectories(dir.resolve("served"));
    Path cacheFolder = dir.resolve("cache");
    EuroparlIndex.build(index, 1500);
    try (RegionDirectory d = RegionDirectory.openReadOnly(index)) {
      d.pack(served.resolve("europarl.pack"));
    }
    try (JettyRangeServer server = JettyRangeServer.start(served);
        RegionDirectory local = RegionDirectory.openReadOnly(index);
        DirectoryReader localReader = DirectoryReader.open(local)) {
      long firstRun;
      long cached;
      try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
          RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache);
          DirectoryReader reader = DirectoryReader.open(remote)) {
        long atOpen = remote.stats().requests();
        EuroparlIndex.assertSameHits(new IndexSearcher(localReader), new IndexSearcher(reader));
        firstRun = remote.stats().requests() - atOpen;
        cached = cache.stats().slotsUsed();
        assertTrue(firstRun > 0 && cached > 0, "the first run fetched blocks: the check below could fail");
      }
      try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
          RemoteRegionDirectory remote = RemoteRegionDirectory.open(server.uri("europarl.pack"), cache);
          DirectoryReader reader = DirectoryReader.open(remote)) {
        CacheStats s = cache.stats();
        assertEquals(cached, s.adopted(), "every cached block taken back");
        assertEquals(0, s.dropped());
        long atOpen = remote.stats().requests();
        EuroparlIndex.assertSameHits(new IndexSearcher(localReader), new IndexSearcher(reader));
        assertEquals(0, remote.stats().requests() - atOpen, "no block request after the restart (first run: " + firstRun + ")");
        assertEquals(0, cache.stats().misses());
      }
    }
  }
}
