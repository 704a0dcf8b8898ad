package io.regionstore.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.CorruptStoreException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {
  private static final UUID ID = new UUID(1, 2);
  private static final Path FILE = Path.of("regionstore.catalog-1");
  private static final long CHUNK = 1 << 16;

  private static CatalogSnapshot decode(ByteBuffer bytes) throws CorruptStoreException {
    return CatalogCodec.decode(bytes, FILE, ID, CHUNK, 4096, 64);
  }

  @Test
  void roundTrips() throws CorruptStoreException {
    CatalogSnapshot s =
        new CatalogSnapshot(
            7,
            List.of(
                new PersistedRegion("_0.cfs", 100, new long[] {4096, 64, 8192, 64}),
                new PersistedRegion("ü", 0, new long[0]),
                new PersistedRegion("x".repeat(255), 64, new long[] {CHUNK, 64})));
    ByteBuffer bytes = CatalogCodec.encode(s, ID);
    assertEquals(7, CatalogCodec.peekGeneration(bytes.duplicate()));
    CatalogSnapshot back = decode(bytes);
    assertEquals(7, back.generation());
    assertEquals(3, back.regions().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(s.regions().get(i).name(), back.regions().get(i).name());
      assertEquals(s.regions().get(i).length(), back.regions().get(i).length());
      assertArrayEquals(s.regions().get(i).extents(), back.regions().get(i).extents());
    }
  }

  @Test
  void semanticChecksNameTheRegionAndOffset() {
    assertCorrupt(region("a", 100, 4096, 64), "has 64 bytes of extents");
    assertCorrupt(region("a", 10, 100, 64), "bad extent [100, +64)");
    assertCorrupt(region("a", 10, CHUNK - 64, 128), "bad extent");
    assertCorrupt(region("a", 10, 4100, 64), "bad extent");
    assertCorrupt(
        new CatalogSnapshot(
            3,
            List.of(
                new PersistedRegion("a", 128, new long[] {4096, 128}),
                new PersistedRegion("b", 64, new long[] {4160, 64}))),
        "overlaps");
    assertCorrupt(
        new CatalogSnapshot(
            3,
            List.of(
                new PersistedRegion("a", 1, new long[] {4096, 64}),
                new PersistedRegion("a", 1, new long[] {8192, 64}))),
        "appears twice");
    assertCorrupt(region("bad/name", 1, 4096, 64), "bad region name");
  }

  @Test
  void otherStoresCatalogIsRejected() {
    ByteBuffer bytes = CatalogCodec.encode(region("a", 1, 4096, 64), new UUID(9, 9));
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> decode(bytes));
    assertEquals(24, e.offset());
    assertTrue(e.getMessage().contains("belongs to store"), e.getMessage());
  }

  @Test
  void hugeCountsInAValidChecksumDoNotAllocate() {
    // A region count far beyond the body (crafted with a valid CRC) is refused before any array
    // of that size exists.
    ByteBuffer bytes = CatalogCodec.encode(region("a", 1, 4096, 64), ID);
    bytes.putInt(12, Integer.MAX_VALUE);
    fixCrc(bytes);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> decode(bytes));
    assertEquals(12, e.offset());
    ByteBuffer extents = CatalogCodec.encode(region("a", 1, 4096, 64), ID);
    extents.putInt(CatalogCodec.HEADER_SIZE + 1 + 1 + 8, Integer.MAX_VALUE); // extent count of "a"
    fixCrc(extents);
    assertTrue(assertThrows(CorruptStoreException.class, () -> decode(extents)).getMessage().contains("extents"));
  }

  @Test
  void everyTruncationIsDetected() {
    ByteBuffer bytes = CatalogCodec.encode(region("segments_1", 300, 4096, 320), ID);
    for (int len = 0; len < bytes.remaining(); len++) {
      ByteBuffer cut = bytes.duplicate().limit(len);
      CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> decode(cut), "length " + len);
      assertTrue(e.getMessage().contains(FILE.toString()));
    }
  }

  private static CatalogSnapshot region(String name, long length, long offset, long extentLength) {
    return new CatalogSnapshot(3, List.of(new PersistedRegion(name, length, new long[] {offset, extentLength})));
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
