package io.regionstore.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.errors.CorruptStoreException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {
  private static final UUID ID = new UUID(1, 2);
  private static final Path FILE = Path.of("regionstore.data");
  private static final long D = 12288; // first extent offset
  private static final long CHUNK = 1 << 16;

  private static CatalogSnapshot decode(ByteBuffer bytes) throws CorruptStoreException {
    return CatalogCodec.decode(bytes, FILE, 0, ID, CHUNK, D, 64, new long[0]);
  }

  @Test
  void roundTrips() throws CorruptStoreException {
    CatalogSnapshot s =
        new CatalogSnapshot(
            7,
            List.of(
                new PersistedRegion("_0.cfs", 100, 7, new long[] {D, 64, D + 4096, 64}),
                new PersistedRegion("ü", 0, 0, new long[0]),
                new PersistedRegion("x".repeat(255), 64, 9, new long[] {CHUNK, 64})));
    ByteBuffer bytes = CatalogCodec.encode(s, ID);
    CatalogSnapshot back = decode(bytes);
    assertEquals(7, back.generation());
    assertEquals(3, back.regions().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(s.regions().get(i).name(), back.regions().get(i).name());
      assertEquals(s.regions().get(i).length(), back.regions().get(i).length());
      assertEquals(s.regions().get(i).crc(), back.regions().get(i).crc());
      assertArrayEquals(s.regions().get(i).extents(), back.regions().get(i).extents());
    }
  }

  @Test
  void semanticChecksNameTheRegionAndOffset() {
    assertCorrupt(region("a", 100, D, 64), "has 64 bytes of extents");
    assertCorrupt(region("a", 10, 100, 64), "bad extent [100, +64)");
    assertCorrupt(region("a", 10, CHUNK - 64, 128), "bad extent");
    assertCorrupt(region("a", 10, D + 4, 64), "bad extent");
    assertCorrupt(
        new CatalogSnapshot(
            3,
            List.of(
                new PersistedRegion("a", 128, 7, new long[] {D, 128}),
                new PersistedRegion("b", 64, 7, new long[] {D + 64, 64}))),
        "overlaps");
    assertCorrupt(
        new CatalogSnapshot(
            3,
            List.of(
                new PersistedRegion("a", 1, 7, new long[] {D, 64}),
                new PersistedRegion("a", 1, 7, new long[] {D + 4096, 64}))),
        "appears twice");
    assertCorrupt(region("bad/name", 1, D, 64), "bad region name");
  }

  @Test
  void bodyExtentsMayNotBeOverlappedByRegions() {
    ByteBuffer bytes = CatalogCodec.encode(region("a", 1, D, 64), ID);
    CorruptStoreException e =
        assertThrows(
            CorruptStoreException.class,
            () -> CatalogCodec.decode(bytes, FILE, 0, ID, CHUNK, D, 64, new long[] {D, 128}));
    assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
  }

  @Test
  void offsetsInMessagesAreFileOffsets() {
    ByteBuffer bytes = CatalogCodec.encode(region("a", 100, D, 64), ID);
    CorruptStoreException e =
        assertThrows(
            CorruptStoreException.class,
            () -> CatalogCodec.decode(bytes, FILE, 50_000, ID, CHUNK, D, 64, new long[0]));
    assertEquals(50_000 + CatalogCodec.HEADER_SIZE, e.offset());
    assertTrue(e.getMessage().startsWith("catalog body: "), e.getMessage());
  }

  @Test
  void otherStoresCatalogIsRejected() {
    ByteBuffer bytes = CatalogCodec.encode(region("a", 1, D, 64), new UUID(9, 9));
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> decode(bytes));
    assertEquals(24, e.offset());
    assertTrue(e.getMessage().contains("belongs to store"), e.getMessage());
  }

  @Test
  void hugeCountsInAValidChecksumDoNotAllocate() {
    // A region count far beyond the body (crafted with a valid CRC) is refused before any array
    // of that size exists.
    ByteBuffer bytes = CatalogCodec.encode(region("a", 1, D, 64), ID);
    bytes.putInt(12, Integer.MAX_VALUE);
    fixCrc(bytes);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> decode(bytes));
    assertEquals(12, e.offset());
    ByteBuffer extents = CatalogCodec.encode(region("a", 1, D, 64), ID);
    extents.putInt(CatalogCodec.HEADER_SIZE + 1 + 1 + 8 + 4, Integer.MAX_VALUE); // extent count of "a"
    fixCrc(extents);
    assertTrue(assertThrows(CorruptStoreException.class, () -> decode(extents)).getMessage().contains("extents"));
  }

  @Test
  void everyTruncationIsDetected() {
    ByteBuffer bytes = CatalogCodec.encode(region("segments_1", 300, D, 320), ID);
    for (int len = 0; len < bytes.remaining(); len++) {
      ByteBuffer cut = bytes.duplicate().limit(len);
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> decode(cut), "length " + len);
      assertTrue(e.getMessage().contains(FILE.toString()));
    }
  }

  private static CatalogSnapshot region(String name, long length, long offset, long extentLength) {
    return new CatalogSnapshot(3, List.of(new PersistedRegion(name, length, 7, new long[] {offset, extentLength})));
  }

  private static void assertCorrupt(CatalogSnapshot s, String message) {
    ByteBuffer bytes = CatalogCodec.encode(s, ID);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> decode(bytes));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + e.offset()), e.getMessage());
    assertTrue(e.offset() >= CatalogCodec.HEADER_SIZE, "offset " + e.offset());
  }

  private static void fixCrc(ByteBuffer bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes.duplicate().limit(bytes.limit() - 4));
    bytes.putInt(bytes.limit() - 4, (int) crc.getValue());
  }
}
