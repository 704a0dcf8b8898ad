package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvictionQueuesTest {
  private static final ContentId CONTENT = ContentId.ofBytes(new byte[] {1, 2, 3});
  private final MemorySegment slots = Arena.ofAuto().allocate(64L * 1024);

  /** A filled, unpinned block of {@code index} in slot {@code slot}. */
  private CachedBlock block(long index, int slot) {
    CachedBlock b = new CachedBlock(new BlockKey(CONTENT, index), slot, slots.asSlice(slot * 64L, 64), 64);
    b.markFilled();
    b.unpin();
    return b;
  }

  /** A cache of {@code capacity} blocks driven through the queues, counting hits. */
  private final class Simulation {
    final EvictionQueues queues;
    final Map<Long, CachedBlock> cached = new HashMap<>();
    final int capacity;
    int hits;

    Simulation(int capacity) {
      this.capacity = capacity;
      this.queues = new EvictionQueues(capacity);
    }

    void read(long index) {
      CachedBlock b = cached.get(index);
      if (b != null) {
        b.touch();
        hits++;
        return;
      }
      int slot = cached.size();
      if (cached.size() == capacity) {
        CachedBlock victim = queues.evict();
        cached.remove(victim.index());
        slot = victim.slot;
      }
      CachedBlock fresh = block(index, slot);
      queues.admit(fresh);
      cached.put(index, fresh);
    }
  }

  @Test
  void aScanDoesNotEvictTheBlocksReadMoreThanOnce() {
    Simulation sim = new Simulation(100);
    for (int round = 0; round < 3; round++) {
      for (long hot = 0; hot < 50; hot++) {
        sim.read(hot);
      }
    }
    // A scan of 1,000 blocks read once each (a merge), with the hot set still being read.
    for (long scan = 1000; scan < 2000; scan++) {
      sim.read(scan);
      if (scan % 20 == 0) {
        sim.read(scan % 50);
      }
    }
    for (long hot = 0; hot < 50; hot++) {
      assertTrue(sim.cached.containsKey(hot), "hot block " + hot + " survived the scan");
    }
    assertEquals(100, sim.queues.size());
  }

  @Test
  void aKeyEvictedFromTheSmallQueueComesBackIntoTheMainQueue() {
    EvictionQueues q = new EvictionQueues(10); // small share: 1
    CachedBlock a = block(1, 0);
    CachedBlock b = block(2, 1);
    q.admit(a);
    q.admit(b);
    assertSame(a, q.evict(), "small queue over its share: oldest unread block");
    assertTrue(q.isGhost(a.key));
    CachedBlock again = block(1, 0);
    q.admit(again);
    assertTrue(again.inMain);
    assertTrue(!q.isGhost(a.key));
    assertThrows(IllegalStateException.class, () -> a.segment().get(ValueLayout.JAVA_BYTE, 0));
  }

  @Test
  void aBlockReadInTheSmallQueueMovesToMainWhereItsReadsBuyItTime() {
    EvictionQueues q = new EvictionQueues(10); // small share: 1
    CachedBlock read = block(1, 0);
    CachedBlock unread1 = block(2, 1);
    CachedBlock unread2 = block(3, 2);
    q.admit(read);
    q.admit(unread1);
    q.admit(unread2);
    read.touch();
    read.touch();
    assertSame(unread1, q.evict(), "small over its share: the read block moves on, the unread one goes");
    assertTrue(read.inMain);
    // Small is within its share now, so main gives the victim: its two reads cost two passes.
    assertSame(read, q.evict());
    assertEquals(0, read.uses());
    assertSame(unread2, q.evict());
  }

  @Test
  void pinnedBlocksAreSkippedAndAllPinnedGivesNull() {
    EvictionQueues q = new EvictionQueues(10);
    CachedBlock[] blocks = new CachedBlock[5];
    for (int i = 0; i < 5; i++) {
      blocks[i] = block(i, i);
      q.admit(blocks[i]);
      assertTrue(blocks[i].tryPin());
    }
    assertNull(q.evict());
    assertEquals(5, q.size());
    blocks[3].unpin();
    assertSame(blocks[3], q.evict());
    assertEquals(4, q.size());
  }

  @Test
  void anUnpinnedBlockIsFoundWhileTheQueueThePolicyPrefersIsAllPinned() {
    EvictionQueues q = new EvictionQueues(100); // small share: 10
    for (int i = 0; i < 5; i++) {
      q.admit(block(i, i));
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(i, q.evict().index()); // main is empty: the small queue gives, keys become ghosts
    }
    CachedBlock[] main = new CachedBlock[5];
    for (int i = 0; i < 5; i++) {
      main[i] = block(i, i);
      q.admit(main[i]); // ghosts come back into main
      assertTrue(main[i].inMain);
      assertTrue(main[i].tryPin());
    }
    CachedBlock unpinned = block(10, 10);
    q.admit(unpinned); // small, within its share: the policy looks at main, all pinned
    assertSame(unpinned, q.evict());
    assertNull(q.evict());
  }

  @Test
  void removeTakesAFailedBlockOutOfItsQueue() {
    EvictionQueues q = new EvictionQueues(10);
    CachedBlock a = block(1, 0);
    q.admit(a);
    q.remove(a);
    assertEquals(0, q.size());
    assertNull(q.evict());
  }
}
