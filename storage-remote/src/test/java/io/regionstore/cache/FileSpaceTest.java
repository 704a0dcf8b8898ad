package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpaceTest {
  @TempDir Path dir;

  @Test
  void onLinuxWithNativeAccessSpaceIsReservedWithPosixFallocate() throws IOException {
    Path path = dir.resolve("f");
    try (FileChannel channel =
            FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileSpace space = FileSpace.open(path, channel)) {
      boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
      assertEquals(linux, space.usesNative(), "the build runs tests with --enable-native-access");
      space.reserve(0, 3 * 4096);
      assertEquals(3 * 4096, Files.size(path));
      space.reserve(3 * 4096, 5 * 4096 + 100);
      assertArrayEquals(new byte[5 * 4096 + 100], Files.readAllBytes(path));
    }
  }

  @Test
  void withoutNativeCallsZerosAreWritten() throws IOException {
    Path path = dir.resolve("g");
    Files.write(path, new byte[] {1, 2, 3});
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileSpace.writeZeros(channel, 3, 3 + (3 << 20) + 5);
    }
    byte[] bytes = Files.readAllBytes(path);
    assertEquals(3 + (3 << 20) + 5, bytes.length);
    assertEquals(3, bytes[2]);
    for (int i = 3; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        throw new AssertionError("byte " + i + " is " + bytes[i]);
      }
    }
  }

  /**
   * Closing any descriptor of a file drops the process's POSIX locks on it: the cache's own native
   * descriptor must stay open while the cache holds its lock. Another process is refused after
   * growths, and opens once the cache is closed.
   */
  @Test
  void theCacheLockHoldsAgainstAnotherProcessAfterGrowth() throws Exception {
    Path folder = dir.resolve("cache");
    CacheOptions options = CacheOptions.builder().blockSize(4096).initialCapacity(4096).maxCapacity(64 * 4096).build();
    TestContent c = new TestContent(1, 64 * 4096, 4096);
    try (SlotCache cache = SlotCache.open(folder, options)) {
      CachedContent content = cache.content(c.id, c.fetcher());
      for (int i = 0; i < 64; i++) {
        content.pin(i).unpin(); // grows 1 -> 2 -> 4 ... -> 64 slots
      }
      assertEquals(64, cache.stats().slots());
      String out = child(folder);
      assertTrue(
          out.startsWith(
              "REFUSED cache folder " + folder + " is in use by another open cache (held by process "
                  + ProcessHandle.current().pid() + ", started "),
          out);
      assertFalse(out.contains("(this process)"), out);
    }
    assertEquals("OPENED", child(folder).strip());
  }

  private static String child(Path folder) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CacheChild.class.getName(),
                    folder.toString()))
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
