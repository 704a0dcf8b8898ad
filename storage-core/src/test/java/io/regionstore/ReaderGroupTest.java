package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.regionstore.errors.NoSuchRegionException;
import io.regionstore.errors.StoreClosedException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped readers (one view scope per group, {@link RegionStore#openReader(String, String)}) and
 * confined readers ({@link RegionStore#openConfinedReader}): when views die and when space may be
 * reused.
 */
class ReaderGroupTest {
  @TempDir Path dir;

  private StoreOptions small() {
    return StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).writeBufferSize(1024).build();
  }

  private static byte[] copy(MemorySegment view) {
    return view.toArray(ValueLayout.JAVA_BYTE);
  }

  @Test
  void aClosedMembersViewReadsUntilTheGroupClosesAndThenThrows() throws IOException {
    byte[] a = bytes(1, 3000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "_0.tim", a);
      put(store, "_0.doc", bytes(2, 100));
      RegionReader ra = store.openReader("_0.tim", "0");
      RegionReader rb = store.openReader("_0.doc", "0");
      MemorySegment view = ra.extent(0);
      ra.close();
      assertTrue(ra.isClosed());
      assertThrows(StoreClosedException.class, () -> ra.read(0, new byte[1], 0, 1));
      assertThrows(StoreClosedException.class, () -> ra.extent(0), "no new views after close");
      assertEquals(1, store.stats().openReaders(), "a closed member is no longer an open reader");
      assertArrayEquals(a, copy(view), "the group is open: the view still reads the file");
      rb.close();
      assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
      assertEquals(0, store.stats().openReaders());
    }
  }

  @Test
  void aDeletedMembersSpaceIsNotReusedWhileItsGroupIsOpen() throws IOException {
    byte[] a = bytes(3, 20_000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "_1.tim", a);
      put(store, "_1.doc", bytes(4, 100));
      store.syncMetadata();
      RegionReader ra = store.openReader("_1.tim", "1");
      RegionReader rb = store.openReader("_1.doc", "1");
      MemorySegment view = ra.extent(0);
      store.delete("_1.tim");
      ra.close();
      for (int i = 0; i < 50; i++) { // churn: reuses every reusable byte
        put(store, "n" + i, bytes(100 + i, 20_000));
        store.syncMetadata();
      }
      store.checkSpace();
      assertEquals(20_032, store.stats().heldByReadersBytes(), "the deleted member's extents are held");
      assertArrayEquals(a, copy(view), "never reused: the view reads the deleted file's bytes");
      rb.close();
      store.checkSpace();
      assertEquals(0, store.stats().heldByReadersBytes());
      assertTrue(store.stats().pendingFreeBytes() >= 20_032, "released with the group, then pending");
      assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
    }
  }

  @Test
  void readersOfOtherKeysOrWithoutAGroupDieAtTheirOwnClose() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "a", bytes(5, 500));
      put(store, "b", bytes(6, 500));
      put(store, "c", bytes(7, 500));
      RegionReader ra = store.openReader("a", "1");
      RegionReader rb = store.openReader("b", "2");
      RegionReader rc = store.openReader("c");
      MemorySegment va = ra.extent(0);
      MemorySegment vc = rc.extent(0);
      ra.close();
      rc.close();
      assertThrows(IllegalStateException.class, () -> va.get(ValueLayout.JAVA_BYTE, 0), "alone in its group");
      assertThrows(IllegalStateException.class, () -> vc.get(ValueLayout.JAVA_BYTE, 0), "own scope");
      assertArrayEquals(bytes(6, 500), copy(rb.extent(0)));
      rb.close();
    }
  }

  @Test
  void aKeyWhoseGroupClosedStartsANewGroup() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "a", bytes(8, 500));
      RegionReader first = store.openReader("a", "k");
      MemorySegment old = first.extent(0);
      first.close();
      assertThrows(IllegalStateException.class, () -> old.get(ValueLayout.JAVA_BYTE, 0));
      try (RegionReader second = store.openReader("a", "k")) {
        assertArrayEquals(bytes(8, 500), copy(second.extent(0)));
      }
    }
  }

  @Test
  void aFullGroupIsClosedByItsOwnMembersWhileTheNextGroupReads() throws IOException {
    try (RegionStore store = RegionStore.open(dir, small())) {
      put(store, "a", bytes(9, 200));
      List<RegionReader> full = new ArrayList<>();
      for (int i = 0; i < ReaderGroup.MAX_MEMBERS; i++) {
        full.add(store.openReader("a", "k"));
      }
      MemorySegment inFull = full.get(0).extent(0);
      RegionReader next = store.openReader("a", "k");
      MemorySegment inNext = next.extent(0);
      for (RegionReader r : full) {
        r.close();
      }
      assertThrows(IllegalStateException.class, () -> inFull.get(ValueLayout.JAVA_BYTE, 0));
      assertArrayEquals(bytes(9, 200), copy(inNext), "the 1025th reader is in a new group");
      next.close();
      assertThrows(IllegalStateException.class, () -> inNext.get(ValueLayout.JAVA_BYTE, 0));
    }
  }

  @Test
  void aConfinedReaderIsUsableAndClosableOnlyByItsThread() throws Exception {
    byte[] a = bytes(10, 1000);
    try (RegionStore store = RegionStore.open(dir, small())) {
      assertThrows(NoSuchRegionException.class, () -> store.openConfinedReader("a"));
      put(store, "a", a);
      RegionReader r = store.openConfinedReader("a");
      assertTrue(r.isConfined());
      MemorySegment view = r.extent(0);
      assertArrayEquals(a, copy(view));
      assertEquals(WrongThreadException.class, onOtherThread(() -> view.get(ValueLayout.JAVA_BYTE, 0)));
      assertEquals(WrongThreadException.class, onOtherThread(r::close));
      assertFalse(r.isClosed(), "a close from another thread is refused");
      r.close();
      assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
      assertEquals(0, store.stats().openReaders());
    }
  }

  @Test
  void aStoreClosedByAnotherThreadKeepsItsMappingUntilTheConfinedReaderCloses() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/self/maps")), "needs /proc/self/maps (Linux)");
    byte[] a = bytes(11, 1000);
    RegionStore store = RegionStore.open(dir, small());
    put(store, "a", a);
    RegionReader r = store.openConfinedReader("a");
    MemorySegment view = r.extent(0);
    assertEquals(null, onOtherThread(store::close));
    assertTrue(r.isClosed(), "the store's close stops the reader");
    assertThrows(StoreClosedException.class, () -> r.read(0, new byte[1], 0, 1));
    assertTrue(dataFileMappings() > 0, "still mapped for the confined view");
    assertArrayEquals(a, copy(view), "its own thread may still read the view until it closes it");
    r.close();
    assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
    assertEquals(0, dataFileMappings(), "the confined reader's close unmapped the chunks");
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  /** Runs {@code action} on another thread: the class of what it threw, or null. */
  private static Class<?> onOtherThread(Action action) throws InterruptedException, ExecutionException {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                action.run();
                return null;
              } catch (Throwable t) {
                return t.getClass();
              }
            },
            r -> new Thread(r).start())
        .get();
  }

  private long dataFileMappings() throws IOException {
    String data = dir.resolve("regionstore.data").toRealPath().toString();
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.endsWith(data)).count();
    }
  }
}
