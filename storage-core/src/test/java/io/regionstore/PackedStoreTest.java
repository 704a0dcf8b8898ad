package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static io.regionstore.RegionStoreTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.pack.HotRange;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackLayout;
import io.regionstore.pack.PackOptions;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackedStoreTest {
  @TempDir Path dir;

  private final StoreOptions small =
      StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).writeBufferSize(1024).build();

  /** Regions of awkward sizes: empty, one byte, exactly 64, unaligned, and several 64 KiB chunks. */
  private static Map<String, byte[]> content() {
    Map<String, byte[]> c = new LinkedHashMap<>();
    c.put("segments_2", bytes(1, 321));
    c.put("_0.cfs", bytes(2, 300_001));
    c.put("_0.si", bytes(3, 64));
    c.put("empty", new byte[0]);
    c.put("one", new byte[] {42});
    c.put("ü-name", bytes(4, 5000));
    return c;
  }

  private Path store(Map<String, byte[]> content) throws IOException {
    Path folder = dir.resolve("store");
    try (RegionStore store = RegionStore.open(folder, small)) {
      for (Map.Entry<String, byte[]> e : content.entrySet()) {
        put(store, e.getKey(), e.getValue());
      }
      store.syncMetadata();
    }
    return folder;
  }

  @Test
  void packingTwiceFromWriterReadOnlyStoreAndPackedFileGivesIdenticalBytes() throws IOException {
    Path folder = store(content());
    Path a = dir.resolve("a.pack");
    Path b = dir.resolve("b.pack");
    Path c = dir.resolve("c.pack");
    Path d = dir.resolve("d.pack");
    PackOptions hot = PackOptions.builder().hotRegion("segments_2").hotRange("_0.cfs", 70_000, 100).build();
    try (RegionStore writer = RegionStore.open(folder, small)) {
      put(writer, "unsynced", bytes(9, 100)); // not durable: not packed
      writer.pack(a, hot);
      writer.pack(b, hot);
    }
    try (RegionStore readOnly = RegionStore.openReadOnly(folder)) {
      readOnly.pack(c, hot);
    }
    try (RegionStore packed = RegionStore.openReadOnly(a)) {
      packed.pack(d, hot);
    }
    byte[] first = Files.readAllBytes(a);
    assertArrayEquals(first, Files.readAllBytes(b));
    assertArrayEquals(first, Files.readAllBytes(c));
    assertArrayEquals(first, Files.readAllBytes(d));
    try (RegionStore packed = RegionStore.openReadOnly(a)) {
      assertFalse(packed.exists("unsynced"));
    }
  }

  @Test
  void packedLengthIsExactlyTheSumOfItsParts() throws IOException {
    Map<String, byte[]> content = content();
    Path folder = store(content);
    Path target = dir.resolve("x.pack");
    PackLayout layout;
    try (RegionStore store = RegionStore.open(folder, small)) {
      layout =
          store.pack(target, PackOptions.builder()
              .hotRange("_0.cfs", 0, 100).hotRange("_0.cfs", 50, 100) // overlap: one range [0, 150)
              .hotRange("_0.cfs", 150, 10) // touches it: still one range [0, 160)
              .hotRange("_0.cfs", 299_000, 1001)
              .hotRegion("one").hotRegion("empty") // an empty region has nothing to copy
              .build());
    }
    long catalog = 48 + 4;
    long regions = 0;
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      int extents = e.getValue().length == 0 ? 0 : 1; // a file under 16 GiB has one chunk
      catalog += 1 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 8 + 4 + 4 + 16 * extents;
      regions += (e.getValue().length + 63) / 64 * 64;
    }
    long index = 24 + 32 * 6 + 32 * 3 + 4;
    long hot = 160 + 1001 + 1;
    long indexAt = 128 + 4096 + (catalog + 63) / 64 * 64;
    long front = (indexAt + index + hot + 63) / 64 * 64;
    assertEquals(catalog, layout.catalogLength());
    assertEquals(indexAt, layout.indexOffset());
    assertEquals(index, layout.indexLength());
    assertEquals(indexAt + index, layout.hotOffset());
    assertEquals(hot, layout.hotLength());
    assertEquals(3, layout.hotRanges());
    assertEquals(front, layout.frontLength());
    assertEquals(regions, layout.regionBytes());
    assertEquals(front + regions, layout.fileLength());
    assertEquals(front + regions, Files.size(target));
    assertEquals(1 << 19, layout.chunkSize()); // the smallest power of two >= 313 KiB
    PackedFront parsed = parse(target);
    assertEquals(
        List.of(
            new HotRange("_0.cfs", 0, 160, indexAt + index),
            new HotRange("_0.cfs", 299_000, 1001, indexAt + index + 160),
            new HotRange("one", 0, 1, indexAt + index + 1161)),
        parsed.hotRanges());
  }

  @Test
  void aPackedFileOpensReadOnlyWithEveryRegionByteExact() throws Exception {
    Map<String, byte[]> content = content();
    Path folder = store(content);
    Path target = dir.resolve("sub").resolve("x.pack");
    Files.createDirectories(target.getParent());
    long generation;
    try (RegionStore store = RegionStore.open(folder, small)) {
      generation = store.generation();
      store.pack(target);
    }
    try (RegionStore packed = RegionStore.openReadOnly(target)) {
      assertTrue(packed.isPacked());
      assertTrue(packed.isReadOnly());
      assertEquals(target, packed.directory());
      assertEquals(generation, packed.generation());
      assertEquals(content.keySet().stream().sorted().toList(), packed.list());
      for (Map.Entry<String, byte[]> e : content.entrySet()) {
        assertEquals(e.getValue().length, packed.length(e.getKey()));
        assertArrayEquals(e.getValue(), readAll(packed, e.getKey()), e.getKey());
      }
      assertFalse(packed.refresh());
      assertEquals(1, packed.stats().mappedChunks()); // one chunk, mapped to the file's end only
      assertEquals(Files.size(target), packed.stats().fileSize());
      assertThrows(IllegalStateException.class, () -> packed.create("new"));
      assertThrows(IllegalStateException.class, () -> packed.delete("one"));
      assertThrows(IllegalStateException.class, packed::checkSpace);
    }
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(List.of(target), files.toList()); // no lock file, no reader table
    }
    try (RegionStore packed = RegionStore.open(target, StoreOptions.builder().readOnly(true).build())) {
      assertArrayEquals(content.get("one"), readAll(packed, "one"));
    }
    IllegalArgumentException writable = assertThrows(IllegalArgumentException.class, () -> RegionStore.open(target));
    assertTrue(writable.getMessage().contains("read-only"), writable.getMessage());
  }

  @Test
  void onlyTheBytesThatExistAreMapped() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "needs /proc/self/maps (Linux)");
    Map<String, byte[]> content = content();
    Path target = dir.resolve("x.pack");
    try (RegionStore store = RegionStore.openReadOnly(store(content))) {
      store.pack(target);
    }
    long size = Files.size(target);
    assertTrue(size % 4096 != 0, "a file that ends inside a page: " + size);
    try (RegionStore packed = RegionStore.openReadOnly(target)) {
      for (Map.Entry<String, byte[]> e : content.entrySet()) {
        assertArrayEquals(e.getValue(), readAll(packed, e.getKey()), e.getKey()); // the last byte included
      }
      long mapped = 0;
      for (String line : Files.readAllLines(maps)) {
        if (line.endsWith(" " + target.toRealPath())) {
          String[] range = line.substring(0, line.indexOf(' ')).split("-");
          mapped += Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
        }
      }
      assertEquals((size + 4095) / 4096 * 4096, mapped, "mapped bytes of " + size + "-byte file");
    }
  }

  @Test
  void aFrontLargerThanTheFirstWindowIsReadInASecondRead() throws IOException {
    Map<String, byte[]> content = content();
    Path target = dir.resolve("x.pack");
    PackLayout layout;
    try (RegionStore store = RegionStore.openReadOnly(store(content))) {
      layout = store.pack(target, PackOptions.builder().hotRegion("_0.cfs").build());
    }
    assertTrue(layout.frontLength() > PackFormat.FIRST_WINDOW, "front " + layout.frontLength());
    try (RegionStore packed = RegionStore.openReadOnly(target)) {
      assertArrayEquals(content.get("_0.cfs"), readAll(packed, "_0.cfs"));
    }
  }

  @Test
  void theCatalogRecordsEachRegionsSha256() throws Exception {
    Map<String, byte[]> content = content();
    Path target = dir.resolve("x.pack");
    try (RegionStore store = RegionStore.openReadOnly(store(content))) {
      store.pack(target);
    }
    PackedFront parsed = parse(target);
    assertEquals(content.size(), parsed.regions().size());
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(e.getValue());
      assertArrayEquals(expected, parsed.region(e.getKey()).sha256(), e.getKey());
    }
    assertNull(parsed.region("missing"));
  }

  @Test
  void aTruncatedOrExtendedPackedFileIsRejectedNamingTheFile() throws IOException {
    Path target = dir.resolve("x.pack");
    try (RegionStore store = RegionStore.openReadOnly(store(content()))) {
      store.pack(target);
    }
    long size = Files.size(target);
    for (long cut : new long[] {size - 1, size - 64, 20_000, 4096, 100, 0}) {
      Path copy = dir.resolve("cut-" + cut);
      Files.copy(target, copy);
      try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
        f.setLength(cut);
      }
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.openReadOnly(copy));
      assertEquals(copy, e.file());
      assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
      assertEquals(cut < 128 ? cut : 40, e.offset(), e.getMessage());
      if (cut >= 128) {
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
      }
    }
    Path longer = dir.resolve("longer");
    Files.copy(target, longer);
    Files.write(longer, new byte[1], java.nio.file.StandardOpenOption.APPEND);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> RegionStore.openReadOnly(longer));
    assertTrue(e.getMessage().contains("bytes appended"), e.getMessage());
  }

  @Test
  void aRegionThatFailsItsCrcIsNotPacked() throws IOException {
    Path folder = store(content());
    // Find the region's bytes in the data file by content and flip one.
    byte[] data = Files.readAllBytes(folder.resolve("regionstore.data"));
    byte[] si = bytes(3, 64);
    int found = indexOf(data, si);
    assertTrue(found > 0);
    try (RandomAccessFile f = new RandomAccessFile(folder.resolve("regionstore.data").toFile(), "rw")) {
      f.seek(found + 10);
      f.write(si[10] ^ 1);
    }
    try (RegionStore store = RegionStore.openReadOnly(folder)) {
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> store.pack(dir.resolve("x.pack")));
      assertTrue(e.getMessage().contains("\"_0.si\" fails its CRC32C"), e.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("x.pack")));
    assertFalse(Files.exists(dir.resolve("x.pack.tmp")));
  }

  @Test
  void hotOptionsMustNameRegionsOfTheGenerationAndStayInside() throws IOException {
    try (RegionStore store = RegionStore.openReadOnly(store(content()))) {
      Path target = dir.resolve("x.pack");
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
          () -> store.pack(target, PackOptions.builder().hotRegion("nope").build()));
      assertTrue(missing.getMessage().contains("\"nope\""), missing.getMessage());
      IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
          () -> store.pack(target, PackOptions.builder().hotRange("one", 0, 2).build()));
      assertTrue(outside.getMessage().contains("outside region \"one\""), outside.getMessage());
      assertFalse(Files.exists(target));
    }
  }

  static PackedFront parse(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer window = ByteBuffer.wrap(all, 0, Math.min(all.length, PackFormat.FIRST_WINDOW));
    long front = PackedFileReader.frontLength(window, all.length, file.toString());
    return PackedFileReader.parse(ByteBuffer.wrap(all, 0, (int) front), all.length, file.toString());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
