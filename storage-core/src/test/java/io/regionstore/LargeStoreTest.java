package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores of many chunks, and one past 4 GiB, so that no offset arithmetic overflows an int. */
class LargeStoreTest {
  @TempDir Path dir;

  @Test
  void regionsBeyondFourGibRoundTripThroughReopen() throws IOException {
    // Five open writers, each reserving a whole 1 GiB chunk, push the last region past 4 GiB. The
    // file is sparse: only the written megabytes take disk space.
    long gib = 1L << 30;
    StoreOptions options = StoreOptions.builder().chunkSize(gib).build();
    List<byte[]> contents = new ArrayList<>();
    try (RegionStore store = RegionStore.open(dir, options)) {
      List<RegionWriter> writers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        writers.add(store.create("r" + i, gib));
      }
      for (int i = 0; i < 5; i++) {
        byte[] content = bytes(i, 1 << 20);
        contents.add(content);
        writers.get(i).write(content, 0, content.length);
      }
      for (RegionWriter w : writers) {
        w.close();
      }
      store.syncMetadata();
      assertTrue(store.stats().fileSize() > 5 * gib, "file size " + store.stats().fileSize());
    }
    try (RegionStore store = RegionStore.open(dir, options)) {
      store.checkSpace();
      assertEquals(6, store.stats().fileSize() / gib);
      for (int i = 0; i < 5; i++) {
        try (RegionReader r = store.openReader("r" + i)) {
          assertEquals(1, r.extentCount());
          byte[] back = new byte[1 << 20];
          r.read(0, back, 0, back.length);
          assertArrayEquals(contents.get(i), back);
          MemorySegment view = r.extent(0);
          assertEquals(contents.get(i)[(1 << 20) - 1], view.get(ValueLayout.JAVA_BYTE, (1 << 20) - 1));
        }
      }
      // space freed at the far end is found again and the file shrinks back when compacted
      store.delete("r4");
      store.delete("r3");
      CompactionResult result = store.compact();
      assertTrue(result.fileSizeAfter() < result.fileSizeBefore(), result.toString());
      store.checkSpace();
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(contents.get(i), RegionStoreTest.readAll(store, "r" + i));
      }
    }
  }

  @Test
  void aRegionSpanningManyChunksReadsBackExactly() throws IOException {
    StoreOptions options = StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).build();
    byte[] content = bytes(42, 3_000_000); // ~46 chunks
    try (RegionStore store = RegionStore.open(dir, options)) {
      RegionStoreTest.put(store, "big", content);
      store.syncMetadata();
    }
    try (RegionStore store = RegionStore.open(dir, options)) {
      try (RegionReader r = store.openReader("big")) {
        assertTrue(r.extentCount() >= 46, "extents " + r.extentCount());
        assertEquals(0, store.stats().mappedChunks(), "views are resolved lazily");
        byte[] back = new byte[content.length];
        r.read(0, back, 0, back.length);
        assertArrayEquals(content, back);
        assertTrue(store.stats().mappedChunks() >= 46);
        assertTrue(store.stats().mappedChunks() <= store.stats().fileSize() >> 16, "one mapping per chunk at most");
      }
    }
  }
}
