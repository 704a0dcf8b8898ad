package io.regionstore.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.io.ChannelOpener;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackedFileReaderTest {
  private static final String SOURCE = "https://example.org/indexes/europarl.pack";
  private static final int CATALOG = PackFormat.CATALOG_OFFSET;

  @TempDir Path dir;

  private byte[] file;
  private PackLayout layout;
  private final List<byte[]> contents = new ArrayList<>();

  /** A packed file of four regions (one empty) with three hot ranges. */
  private void pack() throws IOException {
    String[] names = {"_0.cfe", "_0.cfs", "empty", "segments_1"};
    int[] sizes = {300, 70_001, 0, 155};
    List<PackedFileWriter.Input> inputs = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      byte[] b = new byte[sizes[i]];
      new Random(i).nextBytes(b);
      contents.add(b);
      CRC32C crc = new CRC32C();
      crc.update(b);
      inputs.add(new PackedFileWriter.Input(names[i], b.length, (int) crc.getValue(),
          (pos, dst, off, len) -> System.arraycopy(b, (int) pos, dst, off, len)));
    }
    Path target = dir.resolve("x.pack");
    layout = PackedFileWriter.write(target, ChannelOpener.DEFAULT, "test", 7, inputs,
        PackOptions.builder().hotRegion("segments_1").hotRange("_0.cfs", 0, 1000).hotRange("_0.cfs", 69_000, 1001).build());
    file = Files.readAllBytes(target);
  }

  private ByteBuffer front(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 0, (int) layout.frontLength());
  }

  private PackedFront parse(byte[] bytes) throws CorruptStoreException {
    ByteBuffer window = ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, PackFormat.FIRST_WINDOW));
    long front = PackedFileReader.frontLength(window, bytes.length, SOURCE);
    return PackedFileReader.parse(ByteBuffer.wrap(bytes, 0, (int) front), bytes.length, SOURCE);
  }

  @Test
  void parsesWhatTheWriterWrote() throws IOException {
    pack();
    PackedFront f = parse(file);
    assertEquals(7, f.generation());
    assertEquals(file.length, f.fileLength());
    assertEquals(layout.frontLength(), f.frontLength());
    assertEquals(layout.storeId(), f.storeId());
    assertEquals(List.of("_0.cfe", "_0.cfs", "empty", "segments_1"), f.regions().stream().map(PackedRegion::name).toList());
    for (int i = 0; i < contents.size(); i++) {
      PackedRegion r = f.regions().get(i);
      assertSame(r, f.region(r.name()));
      assertEquals(i, r.index());
      assertEquals(contents.get(i).length, r.length());
      assertEquals(contents.get(i).length == 0 ? 0 : 1, r.extentCount());
      for (int pos = 0; pos < r.length(); pos += 97) {
        assertEquals(contents.get(i)[pos], file[(int) r.fileOffset(pos)], r.name() + " at " + pos);
      }
    }
    assertEquals(3, f.hotRanges().size());
    for (HotRange h : f.hotRanges()) {
      byte[] region = contents.get(f.region(h.region()).index());
      ByteBuffer copy = f.hotBytes(h);
      assertEquals(h.length(), copy.remaining());
      assertTrue(copy.isReadOnly());
      for (int k = 0; k < h.length(); k++) {
        assertEquals(region[(int) (h.regionOffset() + k)], file[(int) (h.frontOffset() + k)]);
        assertEquals(region[(int) (h.regionOffset() + k)], copy.get(k));
      }
    }
    HotRange first = f.hotRange("_0.cfs", 0, 1000);
    assertEquals(new HotRange("_0.cfs", 0, 1000, f.hotOffset()), first);
    assertSame(first, f.hotRange("_0.cfs", 999, 1));
    assertNull(f.hotRange("_0.cfs", 999, 2));
    assertNull(f.hotRange("_0.cfs", 1000, 1));
    assertEquals(new HotRange("_0.cfs", 69_000, 1001, f.hotOffset() + 1000), f.hotRange("_0.cfs", 70_000, 1));
    assertNull(f.hotRange("_0.cfs", 68_999, 2));
    assertEquals(new HotRange("segments_1", 0, 155, f.hotOffset() + 2001), f.hotRange("segments_1", 0, 155));
    assertNull(f.hotRange("_0.cfe", 0, 1));
    assertNull(f.hotRange("missing", 0, 1));
    // memory segments parse the same
    PackedFront s = PackedFileReader.parse(MemorySegment.ofArray(file).asSlice(0, layout.frontLength()), file.length, SOURCE);
    assertEquals(f.hotRanges(), s.hotRanges());
    assertEquals(layout.frontLength(), PackedFileReader.frontLength(MemorySegment.ofArray(file).asSlice(0, 128), file.length, SOURCE));
  }

  @Test
  void everyFlippedByteOfTheFrontIsACorruptStoreExceptionNamingTheSourceAndTheSection() throws IOException {
    pack();
    long[] sections = {0, PackFormat.HEADER_SIZE, CATALOG, layout.indexOffset(), layout.hotOffset(), layout.frontLength()};
    for (int i = 0; i < layout.frontLength(); i++) {
      byte[] bad = file.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      try {
        parse(bad);
        fail("flipped byte " + i + " was not detected");
      } catch (CorruptStoreException e) {
        assertEquals(SOURCE, e.source());
        assertNull(e.file());
        assertTrue(e.getMessage().contains(SOURCE + ", offset " + e.offset()), e.getMessage());
        int section = 0;
        while (sections[section + 1] <= i) {
          section++;
        }
        assertTrue(e.offset() >= sections[section] && e.offset() < sections[section + 1],
            "byte " + i + ": " + e.getMessage());
      }
    }
  }

  @Test
  void theFrontAndFileMustHaveTheLengthsTheHeaderStates() throws IOException {
    pack();
    assertEquals(layout.frontLength(), PackedFileReader.frontLength(ByteBuffer.wrap(file, 0, 128), file.length, SOURCE));
    IllegalArgumentException shortWindow = assertThrows(IllegalArgumentException.class,
        () -> PackedFileReader.frontLength(ByteBuffer.wrap(file, 0, 127), file.length, SOURCE));
    assertEquals("the first window of " + SOURCE + " holds 127 bytes, fewer than the 128-byte header",
        shortWindow.getMessage());
    CorruptStoreException tiny = assertThrows(CorruptStoreException.class,
        () -> PackedFileReader.frontLength(ByteBuffer.wrap(file, 0, 127), 127, SOURCE));
    assertEquals("packed file is cut short: 127 bytes, shorter than its 128-byte header (source " + SOURCE
        + ", offset 127)", tiny.getMessage());
    CorruptStoreException truncated = assertThrows(CorruptStoreException.class,
        () -> PackedFileReader.frontLength(ByteBuffer.wrap(file), file.length - 1, SOURCE));
    assertEquals(40, truncated.offset());
    assertTrue(truncated.getMessage().contains("is " + (file.length - 1) + " bytes but its header says " + file.length
        + " (truncated)"), truncated.getMessage());
    CorruptStoreException frontCut = assertThrows(CorruptStoreException.class,
        () -> PackedFileReader.parse(ByteBuffer.wrap(file, 0, (int) layout.frontLength() - 1), file.length, SOURCE));
    assertTrue(frontCut.getMessage().contains("front of " + (layout.frontLength() - 1) + " bytes given"), frontCut.getMessage());
    PackedFront fromWindow = PackedFileReader.parse(ByteBuffer.wrap(file, 0, PackFormat.FIRST_WINDOW), file.length, SOURCE);
    assertEquals(layout.frontLength(), fromWindow.front().remaining()); // only the front is kept
    assertEquals(parse(file).hotRanges(), fromWindow.hotRanges());
  }

  @Test
  void hostileCountsWithValidChecksumsAreRejectedWithoutAllocating() throws IOException {
    pack();
    int index = (int) layout.indexOffset();
    assertCorrupt(withIndex(b -> b.putInt(index + 12, Integer.MAX_VALUE)), index + 12, "hot ranges and 4 regions do not fill");
    assertCorrupt(withIndex(b -> b.putInt(index + 12, -1)), index + 12, "do not fill");
    assertCorrupt(withIndex(b -> b.putInt(index + 8, Integer.MAX_VALUE)), index + 8, "lists 2147483647 regions, the catalog 4");
    assertCorrupt(withHeader(b -> b.putLong(48, Long.MAX_VALUE)), 48, "front length");
    assertCorrupt(withHeader(b -> b.putLong(56, Long.MAX_VALUE - 8).putLong(64, 16)), 56, "pack index");
    assertCorrupt(withHeader(b -> b.putLong(64, Long.MAX_VALUE)), 56, "pack index");
    assertCorrupt(withCatalog(b -> b.putInt(CATALOG + 12, Integer.MAX_VALUE)), CATALOG + 12, "region count 2147483647 does not fit");
    assertCorrupt(withMeta(b -> b.putLong(PackFormat.META_PAGE_OFFSET + 56, Long.MAX_VALUE)),
        PackFormat.META_PAGE_OFFSET + 12, "meta page fields out of range");
    assertCorrupt(withMeta(b -> b.putInt(PackFormat.META_PAGE_OFFSET + 12, Integer.MAX_VALUE)),
        PackFormat.META_PAGE_OFFSET + 12, "meta page fields out of range");
  }

  @Test
  void hotRangesMustLieInsideTheirRegionAndTheFrontSortedAndApart() throws IOException {
    pack();
    int first = (int) layout.indexOffset() + 24 + 32 * 4; // hot range 0: region 1, [0, +1000)
    int second = first + 32; // region 1, [69000, +1001)
    assertCorrupt(withHotRecord(b -> b.putInt(first, 4)), first, "is not inside its region");
    assertCorrupt(withHotRecord(b -> b.putInt(first, -1)), first, "is not inside its region");
    assertCorrupt(withHotRecord(b -> b.putLong(second + 8, 69_001)), second, "is not inside its region");
    assertCorrupt(withHotRecord(b -> b.putLong(first + 16, 0)), first, "is not inside its region");
    assertCorrupt(withHotRecord(b -> b.putLong(first + 8, Long.MAX_VALUE)), first, "is not inside its region");
    assertCorrupt(withHotRecord(b -> b.putLong(second + 8, 999)), second, "overlaps");
    assertCorrupt(withHotRecord(b -> b.putLong(second + 8, 1000)), second, "touches");
    assertCorrupt(withHotRecord(b -> b.putInt(second, 0).putLong(second + 8, 0).putLong(second + 16, 100)), second,
        "out of order");
    assertCorrupt(withHotRecord(b -> b.putLong(first + 24, 0)), first + 24, "has its copy at front offset 0");
    assertCorrupt(withHotRecord(b -> b.putLong(second + 24, layout.frontLength())), second + 24, "has its copy");
    assertCorrupt(withHotRecord(b -> b.putInt(first + 4, 1)), first, "is not inside its region");
  }

  @Test
  void extentsMustStayInsideTheFileAndTileItsRegionBytes() throws IOException {
    pack();
    // Region 0 "_0.cfe" is the first record: name length (1) | name (6) | length | crc | count | offset | length.
    int extentOffset = CATALOG + 48 + 1 + 6 + 8 + 4 + 4;
    assertCorrupt(withCatalog(b -> b.putLong(extentOffset, file.length)), CATALOG, "past the end of the");
    assertCorrupt(withCatalog(b -> b.putLong(extentOffset, 64)), CATALOG + 48, "bad extent");
    int secondRecord = CATALOG + 48 + 1 + 6 + 8 + 4 + 4 + 16; // the overlap is reported at the later extent's record
    assertCorrupt(withCatalog(b -> b.putLong(extentOffset, layout.frontLength() + 320)), secondRecord, "overlaps");
  }

  @Test
  void randomlyDamagedFrontsWithValidChecksumsFailOnlyWithCorruptStoreException() throws IOException {
    pack();
    // Every section but the fields resignAll rewrites (checksums, the meta page's body CRC).
    int[][] areas = {
      {0, 124}, {PackFormat.META_PAGE_OFFSET, PackFormat.META_PAGE_OFFSET + 64},
      {PackFormat.META_PAGE_OFFSET + 68, PackFormat.META_PAGE_OFFSET + 4092},
      {CATALOG, CATALOG + (int) layout.catalogLength() - 4}, {(int) layout.indexOffset(), (int) layout.hotOffset() - 4}
    };
    Random random = new Random(20261130);
    List<Integer> accepted = new ArrayList<>();
    for (int round = 0; round < 3000; round++) {
      ByteBuffer b = ByteBuffer.wrap(file.clone());
      int first = -1;
      for (int k = 1 + random.nextInt(3); k > 0; k--) {
        int[] area = areas[random.nextInt(areas.length)];
        int at = area[0] + random.nextInt(area[1] - area[0]);
        byte was = b.get(at);
        b.put(at, random.nextInt(4) == 0 ? (byte) ~was : (byte) (was ^ (1 + random.nextInt(255))));
        first = first < 0 ? at : first;
      }
      resignAll(b);
      try {
        parse(b.array());
        accepted.add(first);
      } catch (CorruptStoreException e) {
        assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
      }
    }
    assertEquals(List.of(), accepted, "damaged fronts that parsed, by first damaged offset");
  }

  /** Recomputes every checksum of the front, so that only the structural checks stand. */
  private void resignAll(ByteBuffer b) {
    int page = PackFormat.META_PAGE_OFFSET;
    int catalogEnd = CATALOG + (int) layout.catalogLength() - 4;
    b.putInt(catalogEnd, crc(b, CATALOG, catalogEnd));
    b.putInt(page + 64, crc(b, CATALOG, catalogEnd + 4));
    b.putInt(page + 4092, crc(b, page, page + 4092));
    int indexEnd = (int) (layout.indexOffset() + layout.indexLength() - 4);
    b.putInt(indexEnd, crc(b, (int) layout.indexOffset(), indexEnd));
    b.putInt(124, crc(b, 0, 124));
  }

  private void assertCorrupt(byte[] bytes, long offset, String problem) {
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> parse(bytes));
    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().contains(SOURCE), e.getMessage());
  }

  private interface Edit {
    void apply(ByteBuffer b);
  }

  private byte[] withHeader(Edit edit) {
    ByteBuffer b = ByteBuffer.wrap(file.clone());
    edit.apply(b);
    b.putInt(124, crc(b, 0, 124));
    return b.array();
  }

  private byte[] withIndex(Edit edit) {
    ByteBuffer b = ByteBuffer.wrap(file.clone());
    edit.apply(b);
    int end = (int) (layout.indexOffset() + layout.indexLength() - 4);
    b.putInt(end, crc(b, (int) layout.indexOffset(), end));
    return b.array();
  }

  /** Edits a hot record: the index is re-signed, and so is the hot section (for changed copies). */
  private byte[] withHotRecord(Edit edit) {
    return withIndex(edit);
  }

  private byte[] withMeta(Edit edit) {
    ByteBuffer b = ByteBuffer.wrap(file.clone());
    edit.apply(b);
    int page = PackFormat.META_PAGE_OFFSET;
    b.putInt(page + 4092, crc(b, page, page + 4092));
    return b.array();
  }

  /** Edits the catalog body and re-signs it, its meta page's body CRC and the meta page. */
  private byte[] withCatalog(Edit edit) {
    ByteBuffer b = ByteBuffer.wrap(file.clone());
    edit.apply(b);
    int end = CATALOG + (int) layout.catalogLength() - 4;
    b.putInt(end, crc(b, CATALOG, end));
    int page = PackFormat.META_PAGE_OFFSET;
    b.putInt(page + 64, crc(b, CATALOG, end + 4));
    b.putInt(page + 4092, crc(b, page, page + 4092));
    return b.array();
  }

  private static int crc(ByteBuffer b, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(b.array(), from, to - from);
    return (int) crc.getValue();
  }
}
