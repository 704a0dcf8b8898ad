package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRangeSourceTest {

  @TempDir Path dir;

  private byte[] write(Path file, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Files.write(file, bytes);
    return bytes;
  }

  @Test
  void readsExactBytesAtAnyPositionIntoNativeAndHeapTargets() throws IOException {
    Path file = dir.resolve("data.bin");
    byte[] bytes = write(file, 300_000, 1);
    Random random = new Random(2);
    try (FileRangeSource source = FileRangeSource.open(file); Arena arena = Arena.ofConfined()) {
      assertEquals(300_000, source.length());
      assertEquals(file.toAbsolutePath().toString(), source.description());
      assertTrue(source.version().startsWith("size=300000,mtime="), source.version());
      for (int i = 0; i < 200; i++) {
        int size = random.nextInt(5000);
        int pos = random.nextInt(bytes.length - size + 1);
        MemorySegment target = i % 2 == 0 ? arena.allocate(Math.max(1, size)).asSlice(0, size) : MemorySegment.ofArray(new byte[size]);
        source.read(pos, target);
        assertArrayEquals(Arrays.copyOfRange(bytes, pos, pos + size), target.toArray(ValueLayout.JAVA_BYTE));
      }
      // The last byte, and an empty read at the end.
      MemorySegment last = arena.allocate(1);
      source.read(bytes.length - 1, last);
      assertEquals(bytes[bytes.length - 1], last.get(ValueLayout.JAVA_BYTE, 0));
      source.read(bytes.length, MemorySegment.ofArray(new byte[0]));
    }
  }

  @Test
  void scatterReadFillsTargetsInOrderFromConsecutiveBytes() throws IOException {
    Path file = dir.resolve("data.bin");
    byte[] bytes = write(file, 10_000, 3);
    try (FileRangeSource source = FileRangeSource.open(file); Arena arena = Arena.ofConfined()) {
      MemorySegment a = arena.allocate(100);
      MemorySegment b = MemorySegment.ofArray(new byte[0]);
      MemorySegment c = MemorySegment.ofArray(new byte[3000]);
      MemorySegment d = arena.allocate(1);
      source.read(777, List.of(a, b, c, d));
      assertArrayEquals(Arrays.copyOfRange(bytes, 777, 877), a.toArray(ValueLayout.JAVA_BYTE));
      assertArrayEquals(Arrays.copyOfRange(bytes, 877, 3877), c.toArray(ValueLayout.JAVA_BYTE));
      assertEquals(bytes[3877], d.get(ValueLayout.JAVA_BYTE, 0));
    }
  }

  @Test
  void readPastTheEndIsEofNamingTheFileAndRange() throws IOException {
    Path file = dir.resolve("data.bin");
    write(file, 1000, 4);
    try (FileRangeSource source = FileRangeSource.open(file)) {
      EOFException e = assertThrows(EOFException.class, () -> source.read(990, MemorySegment.ofArray(new byte[11])));
      assertEquals(source.description() + ": read of 11 bytes at 990 runs past the end (length 1000)", e.getMessage());
      assertThrows(EOFException.class, () -> source.read(1001, MemorySegment.ofArray(new byte[0])));
      assertThrows(EOFException.class, () -> source.read(Long.MAX_VALUE, MemorySegment.ofArray(new byte[1])));
      IllegalArgumentException neg =
          assertThrows(IllegalArgumentException.class, () -> source.read(-1, MemorySegment.ofArray(new byte[1])));
      assertEquals(source.description() + ": negative position -1", neg.getMessage());
      // The source stays usable.
      MemorySegment ok = MemorySegment.ofArray(new byte[10]);
      source.read(990, ok);
    }
  }

  @Test
  void fileReplacedByRenameWithSameSizeAndTimeIsDetectedByItsKey() throws IOException {
    Path file = dir.resolve("data.bin");
    write(file, 5000, 5);
    FileTime mtime = Files.getLastModifiedTime(file);
    try (FileRangeSource source = FileRangeSource.open(file)) {
      String opened = source.version();
      Path other = dir.resolve("other.bin");
      write(other, 5000, 6);
      Files.setLastModifiedTime(other, mtime);
      Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      SourceChangedException e =
          assertThrows(SourceChangedException.class, () -> source.read(0, MemorySegment.ofArray(new byte[10])));
      assertEquals(opened, e.expectedVersion());
      assertEquals(FileVersion.of(file.toAbsolutePath()).toString(), e.actualVersion());
      assertTrue(!opened.equals(e.actualVersion()), "the file key differs");
      assertEquals(
          source.description() + " was replaced: opened at version " + opened + ", now version " + e.actualVersion(),
          e.getMessage());
    }
  }

  @Test
  void fileRewrittenInPlaceIsDetected() throws IOException {
    Path file = dir.resolve("data.bin");
    write(file, 5000, 7);
    try (FileRangeSource source = FileRangeSource.open(file)) {
      source.read(0, MemorySegment.ofArray(new byte[10]));
      Files.write(file, new byte[5000]);
      Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
      assertThrows(SourceChangedException.class, () -> source.read(0, MemorySegment.ofArray(new byte[10])));
    }
  }

  @Test
  void fileTruncatedIsDetectedNotReportedAsEof() throws IOException {
    Path file = dir.resolve("data.bin");
    write(file, 5000, 8);
    try (FileRangeSource source = FileRangeSource.open(file)) {
      try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(100);
      }
      SourceChangedException e =
          assertThrows(SourceChangedException.class, () -> source.read(4000, MemorySegment.ofArray(new byte[10])));
      assertTrue(e.actualVersion().startsWith("size=100,"), e.actualVersion());
    }
  }

  @Test
  void fileDeletedIsDetected() throws IOException {
    Path file = dir.resolve("data.bin");
    write(file, 5000, 9);
    try (FileRangeSource source = FileRangeSource.open(file)) {
      Files.delete(file);
      SourceChangedException e =
          assertThrows(SourceChangedException.class, () -> source.read(0, MemorySegment.ofArray(new byte[10])));
      assertNull(e.actualVersion());
      assertEquals(source.description() + " was replaced: opened at version " + source.version() + ", now a different version", e.getMessage());
    }
  }

  @Test
  void aReaderInterruptedMidReadDoesNotBreakTheSourceForOthers() throws Exception {
    Path file = dir.resolve("data.bin");
    byte[] bytes = write(file, 5000, 10);
    try (FileRangeSource source = FileRangeSource.open(file)) {
      AtomicReference<Throwable> seen = new AtomicReference<>();
      Thread t =
          new Thread(
              () -> {
                Thread.currentThread().interrupt();
                try {
                  source.read(0, MemorySegment.ofArray(new byte[10]));
                } catch (Throwable e) {
                  seen.set(e);
                }
              });
      t.start();
      t.join();
      assertEquals(ClosedByInterruptException.class, seen.get().getClass());
      MemorySegment after = MemorySegment.ofArray(new byte[100]);
      source.read(200, after);
      assertArrayEquals(Arrays.copyOfRange(bytes, 200, 300), after.toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void readsAfterCloseThrowClosedChannel() throws IOException {
    Path file = dir.resolve("data.bin");
    write(file, 100, 11);
    FileRangeSource source = FileRangeSource.open(file);
    source.close();
    source.close();
    assertThrows(ClosedChannelException.class, () -> source.read(0, MemorySegment.ofArray(new byte[10])));
  }

  @Test
  void openingAMissingFileNamesIt() {
    Path missing = dir.resolve("missing.bin");
    var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> FileRangeSource.open(missing));
    assertTrue(e.getMessage().contains("missing.bin"), e.getMessage());
  }
}
