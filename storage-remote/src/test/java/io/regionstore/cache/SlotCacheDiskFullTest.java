package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk under the cache: a 1 MiB tmpfs the test mounts (it needs root; elsewhere it is
 * skipped with a message). The cache file is zero-filled when it grows, so the full disk shows as a
 * failed growth, never as a SIGBUS when a fetch writes into the mapping; the cache goes on at the
 * size it reached.
 */
class SlotCacheDiskFullTest {
  private static final int BLOCK = 4096;
  @TempDir Path root;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mount = root.resolve("small");
    Files.createDirectories(mount);
    if ("root".equals(System.getProperty("user.name"))) {
      Process p =
          new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
              .redirectErrorStream(true)
              .start();
      mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
    assumeTrue(mounted, "SlotCacheDiskFullTest skipped: it mounts a 1 MiB tmpfs and so needs root");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullDiskStopsGrowthAndEveryReadStaysCorrect() throws IOException {
    CacheOptions options =
        CacheOptions.builder().blockSize(BLOCK).initialCapacity(16 * BLOCK).maxCapacity(1024 * BLOCK).build();
    TestContent c = new TestContent(1, 1024 * BLOCK, BLOCK);
    try (SlotCache cache = SlotCache.open(mount.resolve("cache"), options)) {
      CachedContent content = cache.content(c.id, c.fetcher());
      Random random = new Random(7);
      for (int i = 0; i < 5000; i++) {
        long index = i < 1024 ? i : random.nextLong(1024);
        CachedBlock b = content.pin(index);
        assertArrayEquals(c.block(index), TestContent.read(b.segment()));
        b.unpin();
      }
      CacheStats s = cache.stats();
      assertTrue(s.slots() <= 256, "stopped within the 1 MiB of the disk: " + s);
      assertTrue(s.slots() >= 64, "grew until the disk was full: " + s);
      assertEquals(s.fileBytes(), Files.size(mount.resolve("cache").resolve(SlotFile.FILE_NAME)), "a failed growth is cut back");
      assertTrue(s.evictions() > 0);
    }
    CacheOptions tooBig =
        CacheOptions.builder().blockSize(BLOCK).initialCapacity(512 * BLOCK).maxCapacity(512 * BLOCK).build();
    IOException e = assertThrows(IOException.class, () -> SlotCache.open(mount.resolve("cache"), tooBig));
    assertTrue(e.getMessage().startsWith("cannot grow cache file " + mount.resolve("cache").resolve(SlotFile.FILE_NAME)), e.getMessage());
  }
}
