package io.regionstore.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpaceAllocatorTest {
  private static final long CHUNK = 1 << 16;

  private final AtomicLong fileSize = new AtomicLong(CHUNK);
  private final AtomicLong minPin = new AtomicLong(Long.MAX_VALUE);

  private SpaceAllocator allocator(long durable) {
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
        },
        minPin::get,
        durable);
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
