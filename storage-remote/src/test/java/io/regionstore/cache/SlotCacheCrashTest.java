package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process while it fetches, evicts, prefetches, syncs and prunes: the cache opens
 * again, every block it takes back is byte-exact, and reading it makes no request.
 */
class SlotCacheCrashTest {
  @TempDir Path dir;

  @Test
  void killNineWhileFetchingAndEvictingLeavesACacheThatOpensAndNeverServesWrongBytes() throws Exception {
    Path folder = dir.resolve("cache");
    int kills = Boolean.getBoolean("regionstore.tests.long") ? 60 : 10;
    Random random = new Random(42);
    TestContent[] contents = CacheCrashChild.contents();
    long adoptedInAll = 0;
    for (int k = 0; k < kills; k++) {
      Process child = start(folder, k);
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("RUNNING")) {
          seen.add(line);
        }
        assertNotNull(line, "child " + k + " ended before running: " + seen);
        Thread.sleep(random.nextInt(300));
        assertTrue(child.isAlive(), "child " + k + " died by itself");
      } finally {
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
      }
      try (SlotCache cache = SlotCache.open(folder, CacheCrashChild.options(), CacheCrashChild.settings())) {
        long cached = 0;
        for (TestContent c : contents) {
          int before = c.fetches.get();
          CachedContent content = cache.content(c.id, c.fetcher());
          for (long i = 0; i < content.blockCount(); i++) {
            if (content.isCached(i)) {
              cached++;
              CachedBlock b = content.pin(i);
              assertArrayEquals(c.block(i), TestContent.read(b.segment()), "kill " + k + ", block " + i);
              b.unpin();
            }
          }
          assertEquals(before, c.fetches.get(), "adopted blocks are read without a request");
        }
        CacheStats s = cache.stats();
        assertEquals(s.adopted(), cached, "kill " + k);
        assertEquals(cached, s.slotsUsed());
        adoptedInAll += cached;
      }
    }
    assertTrue(adoptedInAll > 0, "some blocks survive the kills");
  }

  private static Process start(Path folder, int seed) throws IOException {
    return new ProcessBuilder(
            List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CacheCrashChild.class.getName(),
                folder.toString(),
                Integer.toString(seed)))
        .redirectErrorStream(true)
        .start();
  }
}
