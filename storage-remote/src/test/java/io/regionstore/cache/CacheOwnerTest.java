package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheOwnerTest {
  @TempDir Path dir;

  @Test
  void recordDescribeAndClear() throws IOException {
    assertEquals("holder unknown: no " + CacheOwner.FILE_NAME + " yet", CacheOwner.describe(dir));
    CacheOwner.record(dir);
    String d = CacheOwner.describe(dir);
    assertTrue(d.startsWith("held by process " + ProcessHandle.current().pid() + ", started "), d);
    assertTrue(d.endsWith(" (this process)"), d);
    CacheOwner.clear(dir);
    assertFalse(Files.exists(dir.resolve(CacheOwner.FILE_NAME)));
    CacheOwner.clear(dir); // nothing to remove
  }

  @Test
  void anotherProcessIsNamedAndGarbageIsNotTrusted() throws IOException {
    Files.writeString(dir.resolve(CacheOwner.FILE_NAME), "process 1, started 2026-01-01T00:00:00Z, /sbin/init");
    assertEquals("held by process 1, started 2026-01-01T00:00:00Z, /sbin/init", CacheOwner.describe(dir));
    Files.writeString(dir.resolve(CacheOwner.FILE_NAME), "\u0000garbage");
    assertEquals("holder unknown: " + CacheOwner.FILE_NAME + " does not name it", CacheOwner.describe(dir));
    Files.writeString(dir.resolve(CacheOwner.FILE_NAME), "process 9" + "x".repeat(10_000));
    assertTrue(CacheOwner.describe(dir).length() < 600, "a huge file is cut");
  }
}
