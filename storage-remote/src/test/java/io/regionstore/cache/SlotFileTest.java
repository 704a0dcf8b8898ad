package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotFileTest {
  private static final int BLOCK = 4096;
  @TempDir Path dir;

  @Test
  void growsByDoublingUpToTheMaximumAndNeverPast() throws IOException {
    try (SlotFile file = SlotFile.open(dir, BLOCK, 3, 20)) {
      Path path = dir.resolve(SlotFile.FILE_NAME);
      assertEquals(3L * BLOCK, Files.size(path));
      assertTrue(file.grow(3));
      assertEquals(3, file.slots());
      assertTrue(file.grow(4));
      assertEquals(6, file.slots(), "doubled");
      assertTrue(file.grow(15));
      assertEquals(15, file.slots(), "more than double when asked");
      assertTrue(file.grow(16));
      assertEquals(20, file.slots(), "doubling stops at the maximum");
      assertFalse(file.grow(21));
      assertEquals(20L * BLOCK, Files.size(path));
      assertEquals(Files.size(path), Files.readAllBytes(path).length);
      for (int s = 0; s < 20; s++) {
        assertEquals(BLOCK, file.slot(s).byteSize());
        file.slot(s).fill((byte) s);
      }
      byte[] bytes = Files.readAllBytes(path);
      for (int s = 0; s < 20; s++) {
        assertEquals((byte) s, bytes[s * BLOCK], "slot " + s + " is its own stretch of the file");
        assertEquals((byte) s, bytes[s * BLOCK + BLOCK - 1]);
      }
    }
  }

  @Test
  void openStartsEmptyAndCloseUnmapsAndDeletes() throws IOException {
    Path path = dir.resolve(SlotFile.FILE_NAME);
    Files.write(path, new byte[10 * BLOCK]); // left by an earlier run
    SlotFile file = SlotFile.open(dir, BLOCK, 2, 4);
    assertEquals(2L * BLOCK, Files.size(path));
    assertEquals(0, file.slot(1).get(ValueLayout.JAVA_BYTE, 0));
    var slot = file.slot(0);
    file.close();
    file.close();
    assertFalse(Files.exists(path));
    assertThrows(IllegalStateException.class, () -> slot.get(ValueLayout.JAVA_BYTE, 0));
  }

  @Test
  void aFolderIsCreatedWhenMissing() throws IOException {
    Path nested = dir.resolve("a/b/c");
    try (SlotFile file = SlotFile.open(nested, BLOCK, 1, 1)) {
      assertTrue(Files.isRegularFile(nested.resolve(SlotFile.FILE_NAME)));
      assertEquals(1, file.maxSlots());
    }
  }

  @Test
  void aLockedFolderIsRefused() throws IOException {
    try (SlotFile file = SlotFile.open(dir, BLOCK, 1, 1)) {
      IOException e = assertThrows(IOException.class, () -> SlotFile.open(dir, BLOCK, 1, 1));
      assertEquals(
          "cache folder " + dir + " is in use by another open cache (held by process "
              + ProcessHandle.current().pid(),
          e.getMessage().substring(0, e.getMessage().indexOf(',')));
      assertTrue(e.getMessage().endsWith("(this process))"), e.getMessage());
      assertEquals(BLOCK, Files.size(file.path()), "the open cache's file was left alone");
    }
  }
}
