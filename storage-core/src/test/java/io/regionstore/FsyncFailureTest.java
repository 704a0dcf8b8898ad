package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static io.regionstore.RegionStoreTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.errors.StoreFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failed fsync poisons the store; a failed (non-fsync) catalog write does not. */
class FsyncFailureTest {
  @TempDir Path dir;
  private final AtomicBoolean failing = new AtomicBoolean();

  private StoreOptions options(String file, String op) {
    return StoreOptions.builder()
        .chunkSize(1 << 16)
        .firstExtentSize(4096)
        .channelOpener(
            FaultInjectingChannel.opener(
                call -> failing.get() && call.op().equals(op) && call.file().getFileName().toString().startsWith(file)))
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "syncMetadata"})
  void failedFsyncRefusesEverythingUntilReopenedAndReopenShowsThePreviousGeneration(String call) throws IOException {
    long generation;
    try (RegionStore store = RegionStore.open(dir, options("regionstore.data", "force"))) {
      put(store, "a", bytes(1, 1000));
      store.syncMetadata();
      generation = store.generation();
      put(store, "b", bytes(2, 1000));
      failing.set(true);
      StoreFailedException e =
          assertThrows(
              StoreFailedException.class,
              () -> {
                if (call.equals("sync")) {
                  store.sync(List.of("b"));
                } else {
                  store.syncMetadata();
                }
              });
      assertTrue(e.getMessage().contains("refuses writes until reopened"), e.getMessage());
      assertTrue(e.getCause().getMessage().startsWith("injected failure of force"), e.getCause().getMessage());
      failing.set(false); // the disk "recovers": the store must still refuse, never report success
      assertThrows(StoreFailedException.class, store::syncMetadata);
      assertThrows(StoreFailedException.class, () -> store.sync(List.of("a")));
      assertThrows(StoreFailedException.class, () -> store.create("c"));
      assertThrows(StoreFailedException.class, () -> store.delete("a"));
      assertThrows(StoreFailedException.class, () -> store.rename("a", "z"));
      assertEquals(generation, store.generation());
      assertArrayEquals(bytes(1, 1000), readAll(store, "a"), "reads still work");
      store.checkSpace(); // the in-doubt generation's catalog body is still owned
    }
    try (RegionStore store = RegionStore.open(dir, options("regionstore.data", "force"))) {
      // the failed generation's meta page was zeroed: the previous, acknowledged one is back
      assertEquals(generation, store.generation());
      assertEquals(List.of("a"), store.list());
      assertArrayEquals(bytes(1, 1000), readAll(store, "a"));
      store.checkSpace();
    }
  }

  @Test
  void failedDataSyncPoisonsToo() throws IOException {
    try (RegionStore store = RegionStore.open(dir, options("regionstore.data", "force"))) {
      put(store, "a", bytes(1, 100));
      failing.set(true);
      assertThrows(StoreFailedException.class, () -> store.sync(List.of("a")));
      failing.set(false);
      assertThrows(StoreFailedException.class, () -> store.sync(List.of("a")));
    }
  }

  @Test
  void failedCatalogWriteIsRetriedIntoTheSameSlot() throws IOException {
    StoreOptions failMetaPageWrites =
        StoreOptions.builder()
            .chunkSize(1 << 16)
            .channelOpener(
                FaultInjectingChannel.opener(
                    call -> failing.get() && call.op().equals("write") && (call.position() == 4096 || call.position() == 8192)))
            .build();
    try (RegionStore store = RegionStore.open(dir, failMetaPageWrites)) {
      put(store, "a", bytes(1, 100));
      store.syncMetadata();
      long generation = store.generation();
      put(store, "b", bytes(2, 100));
      failing.set(true);
      IOException e = assertThrows(IOException.class, store::syncMetadata);
      assertTrue(e.getMessage().startsWith("injected failure of write"), e.getMessage());
      assertEquals(generation, store.generation());
      failing.set(false);
      store.syncMetadata(); // not poisoned: a write error leaves the durable slot untouched
      assertEquals(generation + 1, store.generation());
    }
    try (RegionStore store = RegionStore.open(dir)) {
      assertEquals(List.of("a", "b"), store.list());
      store.checkSpace();
    }
  }

  @Test
  void failedDataWriteFailsTheWriterButNotTheStore() throws IOException {
    try (RegionStore store = RegionStore.open(dir, options("regionstore.data", "write"))) {
      RegionWriter w = store.create("a");
      failing.set(true);
      IOException e = assertThrows(IOException.class, () -> w.write(new byte[100_000], 0, 100_000));
      assertTrue(e.getMessage().contains("region \"a\""), e.getMessage());
      failing.set(false);
      IOException again = assertThrows(IOException.class, () -> w.write((byte) 1));
      assertTrue(again.getMessage().contains("failed an earlier write"), again.getMessage());
      IOException seal = assertThrows(IOException.class, w::seal);
      assertTrue(seal.getMessage().contains("cannot be sealed"), seal.getMessage());
      assertEquals(0, store.stats().openWriters());
      store.checkSpace(); // the failed writer gave its space back
      assertThrows(IllegalStateException.class, () -> store.openReader("a"));
      store.delete("a");
      put(store, "a", bytes(3, 5000));
      store.syncMetadata();
      assertArrayEquals(bytes(3, 5000), readAll(store, "a"));
    }
  }
}
