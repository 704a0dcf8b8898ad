package io.regionstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.errors.NoSuchRegionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  private static final boolean LONG = Boolean.getBoolean("regionstore.tests.long");

  @TempDir Path dir;

  /** Content is a function of the name, so any reader can check any region it manages to open. */
  private static byte[] contentOf(String name) {
    Random rnd = new Random(name.hashCode());
    byte[] b = new byte[1 + rnd.nextInt(40_000)];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void readersNeverSeeReusedSpaceWhileWritersDeleteAndReuse() throws Exception {
    StoreOptions options = StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).build();
    int writers = 3;
    int readers = 3;
    int rounds = LONG ? 5_000 : 400;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong bytesChecked = new AtomicLong();
    ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
    try (RegionStore store = RegionStore.open(dir, options)) {
      ExecutorService pool = Executors.newFixedThreadPool(writers + readers + 1);
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        work.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(id);
                  List<String> mine = new ArrayList<>();
                  for (int i = 0; i < rounds; i++) {
                    String name = "w" + id + "-" + i;
                    byte[] content = contentOf(name);
                    try (RegionWriter out = store.create(name)) {
                      int pos = 0;
                      while (pos < content.length) {
                        int n = Math.min(content.length - pos, 1 + rnd.nextInt(5000));
                        out.write(content, pos, n);
                        pos += n;
                      }
                    }
                    names.put(name, true);
                    mine.add(name);
                    if (mine.size() > 5) {
                      String victim = mine.remove(rnd.nextInt(mine.size()));
                      names.remove(victim);
                      store.delete(victim);
                    }
                  }
                  return null;
                }));
      }
      work.add(
          pool.submit(
              () -> {
                while (!stop.get()) {
                  store.syncMetadata();
                }
                return null;
              }));
      for (int r = 0; r < readers; r++) {
        int id = r;
        work.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(100 + id);
                  while (!stop.get()) {
                    List<String> now = new ArrayList<>(names.keySet());
                    if (now.isEmpty()) {
                      continue;
                    }
                    String name = now.get(rnd.nextInt(now.size()));
                    RegionReader reader;
                    try {
                      reader = store.openReader(name);
                    } catch (NoSuchRegionException gone) {
                      continue; // deleted between listing and opening
                    }
                    try (reader) {
                      byte[] expected = contentOf(name);
                      byte[] got = new byte[expected.length];
                      // read twice with a pause between: deletes and reuse happen meanwhile
                      reader.read(0, got, 0, got.length);
                      assertArrayEquals(expected, got, name);
                      Thread.yield();
                      reader.read(0, got, 0, got.length);
                      assertArrayEquals(expected, got, name + " after yielding");
                      bytesChecked.addAndGet(2L * got.length);
                    }
                  }
                  return null;
                }));
      }
      for (int w = 0; w < writers; w++) {
        work.get(w).get(5, TimeUnit.MINUTES);
      }
      stop.set(true);
      for (Future<?> f : work) {
        f.get(1, TimeUnit.MINUTES);
      }
      pool.shutdown();
      store.syncMetadata();
      store.checkSpace();
      assertEquals(writers * 5, store.list().size());
      assertTrue(bytesChecked.get() > 0);
      StoreStats stats = store.stats();
      assertTrue(stats.fileSize() < 64L << 20, "space was reused: file is " + stats.fileSize());
    }
  }

  @Test
  void concurrentSyncsShareFsyncs() throws Exception {
    // The first commit's fdatasync blocks until 8 more regions are written, each followed by a
    // syncMetadata that queues behind it. One more commit, taken after all 8 puts, covers them all:
    // 2 fdatasyncs in total, however the callers interleave.
    CountDownLatch firstForceEntered = new CountDownLatch(1);
    CountDownLatch releaseFirstForce = new CountDownLatch(1);
    AtomicInteger forces = new AtomicInteger();
    StoreOptions options =
        StoreOptions.builder()
            .chunkSize(1 << 16)
            .channelOpener(
                FaultInjectingChannel.opener(
                    call -> {
                      if (call.op().equals("force")
                          && call.file().getFileName().toString().equals("regionstore.data")
                          && forces.incrementAndGet() == 1) {
                        firstForceEntered.countDown();
                        try {
                          releaseFirstForce.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }
                      return false;
                    }))
            .build();
    try (RegionStore store = RegionStore.open(dir, options)) {
      forces.set(0);
      ExecutorService pool = Executors.newFixedThreadPool(9);
      try {
        RegionStoreTest.put(store, "first", new byte[100]);
        Future<?> leader = pool.submit(() -> { store.syncMetadata(); return null; });
        assertTrue(firstForceEntered.await(10, TimeUnit.SECONDS));
        List<Future<?>> followers = new ArrayList<>();
        CountDownLatch written = new CountDownLatch(8);
        for (int i = 0; i < 8; i++) {
          String name = "r" + i;
          followers.add(
              pool.submit(
                  () -> {
                    RegionStoreTest.put(store, name, new byte[1000]);
                    written.countDown();
                    store.syncMetadata();
                    return null;
                  }));
        }
        assertTrue(written.await(10, TimeUnit.SECONDS));
        releaseFirstForce.countDown();
        leader.get(10, TimeUnit.SECONDS);
        for (Future<?> f : followers) {
          f.get(10, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(2, forces.get(), "fdatasyncs for 9 concurrent syncMetadata");
      assertEquals(2, store.stats().catalogSyncs());
      assertEquals(0, store.stats().dataSyncs());
      assertEquals(9, store.list().size());
    }
    try (RegionStore store = RegionStore.open(dir)) {
      assertEquals(9, store.list().size());
    }
  }
}
