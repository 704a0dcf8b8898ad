package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.errors.CorruptStoreException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Someone truncates the data file under a live reader: a clear exception, never a JVM crash. */
class TamperingTest {
  @TempDir Path dir;

  @Test
  void readsAfterTheDataFileWasTruncatedUnderneathFailClearly() throws IOException {
    StoreOptions options = StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).build();
    try (RegionStore store = RegionStore.open(dir, options)) {
      put(store, "a", bytes(1, 200_000));
      store.syncMetadata();
      try (RegionReader r = store.openReader("a")) {
        byte before = r.readByte(150_000);
        assertEquals(bytes(1, 200_000)[150_000], before);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("regionstore.data").toFile(), "rw")) {
          f.setLength(4096);
        }
        CorruptStoreException one = assertThrows(CorruptStoreException.class, () -> r.readByte(150_000));
        assertTrue(one.getMessage().contains("truncated or damaged under a live reader of region \"a\""), one.getMessage());
        assertTrue(one.getMessage().contains("regionstore.data"), one.getMessage());
        assertInstanceOf(InternalError.class, one.getCause());
        CorruptStoreException many =
            assertThrows(CorruptStoreException.class, () -> r.read(100_000, new byte[50_000], 0, 50_000));
        assertTrue(many.getMessage().contains("region position"), many.getMessage());
      }
    }
  }
}
