package io.regionstore.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpaceAllocatorTest {
  private static final long CHUNK = 1 << 16;

  private final AtomicLong fileSize = new AtomicLong(CHUNK);
  private final AtomicLong minPin = new AtomicLong(Long.MAX_VALUE);

  private final List<long[]> punched = new ArrayList<>();
  private boolean canPunch = true;

  private SpaceAllocator allocator(long durable) {
    return allocator(durable, 0);
  }

  private SpaceAllocator allocator(long durable, long minHole) {
    return new SpaceAllocator(
        CHUNK,
        new SpaceAllocator.FileEnd() {
          @Override
          public long size() {
            return fileSize.get();
          }

          @Override
          public long addChunk() {
            return fileSize.getAndAdd(CHUNK);
          }

          @Override
          public void truncate(long newSize) {
            fileSize.set(newSize);
          }

          @Override
          public boolean punchHoles(long[] ranges) throws IOException {
            if (!canPunch) {
              return false;
            }
            for (int i = 0; i < ranges.length; i += 2) {
              punched.add(new long[] {ranges[i], ranges[i + 1]});
            }
            return true;
          }
        },
        minPin::get,
        durable,
        minHole);
  }

  @Test
  void onlyFreeSpaceIsPunchedAndOnlyOnce() throws IOException {
    SpaceAllocator space = allocator(5, 8192);
    long a = space.allocate(CHUNK - 16384); // from a new chunk: a hole already, nothing to punch
    assertEquals(0, space.punchHoles());
    space.release(a, 8192); // never referenced: free at once
    space.retire(6, new long[] {a + 8192, 16384}); // pending: a catalog slot may reference it
    assertEquals(8192, space.punchHoles());
    assertArrayEquals(new long[] {a, 8192}, punched.get(0));
    assertEquals(0, space.punchHoles(), "punched once");
    space.durable(7); // the pending extent is free now and merges with its punched neighbour
    assertEquals(16384, space.punchHoles());
    assertArrayEquals(new long[] {a + 8192, 16384}, punched.get(1));
    assertEquals(8192 + 16384, space.punchedBytes());
  }

  @Test
  void spaceHandedOutAgainIsNotPunchedAndSmallRunsWait() throws IOException {
    SpaceAllocator space = allocator(5, 8192);
    long a = space.allocate(CHUNK - 4096);
    space.release(a, 32768);
    assertEquals(32768, space.allocate(32768) == a ? 32768 : -1, "reused before any punch");
    assertEquals(0, space.punchHoles());
    space.release(a + 32768, 4096 + 64); // one whole page: below the minimum
    assertEquals(0, space.punchHoles());
    space.release(a, 32768); // merges with it: 9 whole pages, the partial one waits
    assertEquals(36864, space.punchHoles());
    assertArrayEquals(new long[] {a, 36864}, punched.get(0));
    assertEquals(64, space.unpunchedBytes());
  }

  @Test
  void aFileSystemThatCannotPunchStopsPunching() throws IOException {
    canPunch = false;
    SpaceAllocator space = allocator(5, 4096);
    long a = space.allocate(CHUNK);
    space.release(a, CHUNK);
    assertEquals(0, space.punchHoles());
    canPunch = true;
    space.release(space.allocate(CHUNK), CHUNK);
    assertEquals(0, space.punchHoles(), "punching stays off");
    assertEquals(0, space.unpunchedBytes());
    assertEquals(0, punched.size());
  }

  @Test
  void growsByWholeChunksWhenNothingFits() throws IOException {
    SpaceAllocator space = allocator(1);
    assertEquals(CHUNK, space.allocate(CHUNK));
    assertEquals(2 * CHUNK, fileSize.get());
    assertEquals(2 * CHUNK, space.allocate(64));
    assertEquals(CHUNK - 64, space.freeBytes());
    assertThrows(IllegalArgumentException.class, () -> space.allocate(100));
    assertThrows(IllegalArgumentException.class, () -> space.allocate(2 * CHUNK));
  }

  @Test
  void retiredSpaceWaitsForBothSlotsAndForPins() throws IOException {
    SpaceAllocator space = allocator(5);
    space.retire(6, new long[] {1024, 4096});
    assertEquals(4096, space.pendingBytes());
    space.durable(6); // one slot still references it
    assertEquals(4096, space.pendingBytes());
    minPin.set(5); // a reader in another process reads generation 5
    space.durable(7);
    assertEquals(4096, space.pendingBytes());
    minPin.set(6);
    assertEquals(4096, space.releasePending());
    assertEquals(0, space.pendingBytes());
    assertEquals(1024, space.allocate(4096), "reused");
  }

  @Test
  void shrinkCutsOnlyWhollyFreeTailChunks() throws IOException {
    SpaceAllocator space = allocator(1);
    space.release(4096, CHUNK - 4096);
    long a = space.allocate(CHUNK); // chunk 1
    long b = space.allocate(CHUNK); // chunk 2
    space.allocate(CHUNK); // chunk 3
    assertEquals(4 * CHUNK, fileSize.get());
    space.release(b, CHUNK);
    assertEquals(4 * CHUNK, space.shrink(), "chunk 3 is in use");
    space.release(3 * CHUNK, CHUNK);
    assertEquals(2 * CHUNK, space.shrink());
    assertEquals(2 * CHUNK, fileSize.get());
    space.release(a, CHUNK);
    assertEquals(CHUNK, space.shrink());
    assertEquals(CHUNK, space.shrink(), "chunk 0 holds the header and is never cut");
  }
}
