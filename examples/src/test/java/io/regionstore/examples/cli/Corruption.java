package io.regionstore.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionReader;
import io.regionstore.RegionStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Damages stores on disk, for tests; the store must be closed. */
final class Corruption {
  /** The data file of a store (ARCHITECTURE.md, "On disk"). */
  static final String DATA_FILE = "regionstore.data";

  /** Extents start 64-byte aligned (ARCHITECTURE.md, "Extents"). */
  private static final int ALIGNMENT = 64;

  private Corruption() {}

  /** Inverts the byte at {@code offset} of {@code file}. */
  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      assertEquals(1, ch.read(b, offset));
      b.put(0, (byte) ~b.get(0)).rewind();
      assertEquals(1, ch.write(b, offset));
    }
  }

  /**
   * Inverts byte {@code position} of region {@code name} in the data file, and checks through the
   * store that exactly that byte of the region changed.
   *
   * <p>The public API gives no file offsets, so the region is found by its content: its first 64
   * bytes (for a Lucene file: codec name, version and a random 16-byte id) must occur at exactly
   * one 64-byte aligned offset of the data file, and its bytes up to {@code position} must follow
   * contiguously there (that is, lie in its first extent).
   */
  static void flipByteInRegion(Path store, String name, long position) throws IOException {
    byte[] region = read(store, name);
    assertTrue(region.length > position && region.length >= ALIGNMENT, name + " is too short");
    byte[] head = Arrays.copyOf(region, ALIGNMENT);
    Path data = store.resolve(DATA_FILE);
    long start = -1;
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      ByteBuffer block = ByteBuffer.allocate(1 << 20);
      byte[] candidate = new byte[ALIGNMENT];
      for (long base = 0; base < ch.size(); base += block.capacity()) {
        block.clear();
        while (block.hasRemaining() && ch.read(block, base + block.position()) > 0) {}
        for (int at = 0; at + ALIGNMENT <= block.position(); at += ALIGNMENT) {
          block.get(at, candidate);
          if (Arrays.equals(candidate, head)) {
            assertEquals(-1, start, "the first bytes of " + name + " occur twice in " + data);
            start = base + at;
          }
        }
      }
      assertTrue(start >= 0, name + " not found in " + data);
      ByteBuffer prefix = ByteBuffer.allocate((int) position + 1);
      ch.read(prefix, start);
      assertTrue(
          Arrays.equals(prefix.array(), Arrays.copyOf(region, prefix.capacity())),
          "byte " + position + " of " + name + " is not in its first extent");
    }
    flipByte(data, start + position);
    byte[] after = read(store, name);
    assertNotEquals(region[(int) position], after[(int) position]);
    after[(int) position] = region[(int) position];
    assertTrue(Arrays.equals(region, after), "bytes other than " + position + " changed");
  }

  private static byte[] read(Path store, String name) throws IOException {
    try (RegionStore s = RegionStore.openReadOnly(store);
        RegionReader r = s.openReader(name)) {
      byte[] bytes = new byte[Math.toIntExact(r.length())];
      r.read(0, bytes, 0, bytes.length);
      return bytes;
    }
  }
}
