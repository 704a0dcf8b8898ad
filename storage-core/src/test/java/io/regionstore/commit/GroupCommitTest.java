package io.regionstore.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  @Test
  void coveredTicketsReturnWithoutFlushing() throws IOException {
    AtomicInteger flushes = new AtomicInteger();
    AtomicLong work = new AtomicLong(3);
    GroupCommit commit = new GroupCommit(() -> { flushes.incrementAndGet(); return work.get(); }, 0);
    commit.await(3);
    commit.await(2);
    commit.await(3);
    assertEquals(1, flushes.get());
    assertEquals(1, commit.flushes());
    assertEquals(3, commit.covered());
  }

  @Test
  void concurrentCallersShareFlushes() throws Exception {
    // Each flush takes a while; 16 callers arriving together must need far fewer than 16 flushes,
    // and every caller's work must be covered by a flush that started after the work was done.
    AtomicLong work = new AtomicLong();
    AtomicInteger flushes = new AtomicInteger();
    CountDownLatch firstFlushRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit commit =
        new GroupCommit(
            () -> {
              long covered = work.get();
              flushes.incrementAndGet();
              firstFlushRunning.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              return covered;
            },
            0);
    ExecutorService pool = Executors.newFixedThreadPool(17);
    try {
      Future<?> leader = pool.submit(() -> { commit.await(work.incrementAndGet()); return null; });
      assertTrue(firstFlushRunning.await(10, TimeUnit.SECONDS));
      List<Future<?>> followers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        followers.add(pool.submit(() -> { commit.await(work.incrementAndGet()); return null; }));
      }
      while (work.get() < 17) {
        Thread.onSpinWait();
      }
      release.countDown();
      leader.get(10, TimeUnit.SECONDS);
      for (Future<?> f : followers) {
        f.get(10, TimeUnit.SECONDS);
      }
      // the leader's flush started before the followers' work: exactly one more flush covers all 16
      assertEquals(2, flushes.get());
      assertEquals(17, commit.covered());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedFlushThrowsToItsLeaderAndCoversNothing() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    GroupCommit commit =
        new GroupCommit(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IOException("disk on fire");
              }
              return 1;
            },
            0);
    assertEquals("disk on fire", assertThrows(IOException.class, () -> commit.await(1)).getMessage());
    assertEquals(0, commit.covered());
    assertEquals(0, commit.flushes());
    commit.await(1);
    assertEquals(1, commit.covered());
  }
}
