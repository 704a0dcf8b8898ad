package io.regionstore.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseFileTest {
  private static final int KIB = 1024;

  @TempDir Path dir;

  @Test
  void aPunchedRangeReadsAsZerosTakesNoSpaceAndKeepsTheSize() throws IOException {
    assumeTrue(SparseFile.supported(), "hole punching needs Linux and native access");
    Path file = dir.resolve("f");
    byte[] content = new byte[1024 * KIB];
    new Random(7).nextBytes(content);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(content));
      ch.force(true);
    }
    SparseFile sparse = SparseFile.of(file);
    assertTrue(sparse.canPunch());
    assertEquals(1024 * KIB, sparse.allocatedBytes());
    assertTrue(sparse.punchHoles(new long[] {128 * KIB, 256 * KIB, 512 * KIB, 128 * KIB}));
    assertEquals(1024 * KIB, Files.size(file));
    assertEquals((1024 - 256 - 128) * KIB, sparse.allocatedBytes());
    byte[] expected = content.clone();
    Arrays.fill(expected, 128 * KIB, 384 * KIB, (byte) 0);
    Arrays.fill(expected, 512 * KIB, 640 * KIB, (byte) 0);
    assertArrayEquals(expected, Files.readAllBytes(file));
  }

  @Test
  void aFailedPunchNamesTheFileAndRange() throws IOException {
    assumeTrue(SparseFile.supported(), "hole punching needs Linux and native access");
    Path file = Files.write(dir.resolve("g"), new byte[8192]);
    SparseFile sparse = SparseFile.of(file);
    IOException e = assertThrows(IOException.class, () -> sparse.punchHoles(new long[] {4096, -4096}));
    assertEquals("punching a hole at [4096, 0) of " + file + " failed: errno 22", e.getMessage());
    Files.delete(file);
    IOException missing = assertThrows(IOException.class, () -> sparse.punchHoles(new long[] {0, 4096}));
    assertEquals("cannot open " + file + " to punch holes: errno 2", missing.getMessage());
    assertFalse(SparseFile.of(file).canPunch(), "no file, no identity");
  }

  @Test
  void anotherFileAtThePathIsNeverPunched() throws IOException {
    assumeTrue(SparseFile.supported(), "hole punching needs Linux and native access");
    Path file = Files.write(dir.resolve("h"), new byte[8192]);
    SparseFile sparse = SparseFile.of(file);
    Files.move(file, dir.resolve("h.moved"));
    byte[] other = new byte[8192];
    Arrays.fill(other, (byte) 7);
    Files.write(file, other);
    IOException e = assertThrows(IOException.class, () -> sparse.punchHoles(new long[] {0, 8192}));
    assertEquals(
        file + " is no longer the file the store opened (it was replaced or moved): no holes punched", e.getMessage());
    assertArrayEquals(other, Files.readAllBytes(file));
    // the same file under another path (as under a wrapping file system) is punched
    assertTrue(sparse.at(dir.resolve("h.moved")).punchHoles(new long[] {0, 4096}));
    assertArrayEquals(new byte[8192], Files.readAllBytes(dir.resolve("h.moved")));
  }

  @Test
  void anotherFileSystemIsANoOp() throws IOException {
    URI zip = URI.create("jar:" + dir.resolve("z.zip").toUri());
    try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
      Path file = Files.write(fs.getPath("/f"), new byte[8192]);
      SparseFile sparse = SparseFile.of(file);
      assertFalse(sparse.canPunch());
      assertFalse(sparse.punchHoles(new long[] {0, 4096}));
      assertEquals(-1, sparse.allocatedBytes());
    }
  }
}
