package io.regionstore;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves sealed regions into free space lower in the data file, highest region first, then cuts
 * wholly free chunks off the end. A region moves only if the free space below it can hold all of
 * it; its old extents go through the usual reuse rules, so open readers keep reading them.
 */
final class Compactor {
  private final RegionStore store;

  Compactor(RegionStore store) {
    this.store = store;
  }

  CompactionResult run() throws IOException {
    long sizeBefore = store.data.size();
    // Two generations, so that both slots forget what was freed before: that space (unless a
    // reader pins it) becomes the room regions move into.
    writeGenerations(2);
    List<Map.Entry<String, Region>> candidates = new ArrayList<>();
    for (Map.Entry<String, Region> e : store.regions.entrySet()) {
      if (e.getValue().isSealed() && e.getValue().extents.length > 0) {
        candidates.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    candidates.sort((a, b) -> Long.compare(highestEnd(b.getValue()), highestEnd(a.getValue())));
    int moved = 0;
    long bytesMoved = 0;
    for (Map.Entry<String, Region> candidate : candidates) {
      if (move(candidate.getKey(), candidate.getValue())) {
        moved++;
        bytesMoved += candidate.getValue().length();
      }
    }
    // Two generations again: the moves become durable, then the older slot forgets the old
    // locations too, and the space they held can be cut off.
    writeGenerations(2);
    long sizeAfter = store.space.shrink();
    return new CompactionResult(moved, bytesMoved, sizeBefore, sizeAfter);
  }

  private void writeGenerations(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      store.catalogChanges.incrementAndGet();
      store.syncMetadata();
    }
  }

  private boolean move(String name, Region region) throws IOException {
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < region.extents.length; i += 2) {
      lowest = Math.min(lowest, region.extents[i]);
    }
    long need = region.extentBytes();
    List<long[]> pieces = new ArrayList<>();
    long got = 0;
    long[] piece;
    while (got < need && (piece = store.space.allocateLowest(need - got, lowest)) != null) {
      pieces.add(piece);
      got += piece[1];
    }
    if (got < need) {
      release(pieces);
      return false;
    }
    long[] target = new long[2 * pieces.size()];
    for (int i = 0; i < pieces.size(); i++) {
      target[2 * i] = pieces.get(i)[0];
      target[2 * i + 1] = pieces.get(i)[1];
    }
    try {
      copy(name, region, target);
    } catch (IOException | RuntimeException e) {
      release(pieces);
      throw e;
    }
    store.namespace.lock();
    try {
      if (store.regions.replace(name, region, Region.sealed(target, region.length(), region.crc, 0))) {
        store.catalogChanges.incrementAndGet();
        store.unlink(region);
        return true;
      }
    } finally {
      store.namespace.unlock();
    }
    release(pieces); // renamed or deleted meanwhile
    return false;
  }

  private void copy(String name, Region region, long[] target) throws IOException {
    long remaining = region.length();
    int source = 0;
    long sourceDone = 0;
    int dest = 0;
    long destDone = 0;
    while (remaining > 0) {
      long n =
          Math.min(
              remaining,
              Math.min(region.extents[2 * source + 1] - sourceDone, target[2 * dest + 1] - destDone));
      MemorySegment from = store.mappedView(region.extents[2 * source] + sourceDone, n);
      store.writeData(from.asByteBuffer(), target[2 * dest] + destDone, name);
      remaining -= n;
      sourceDone += n;
      destDone += n;
      if (sourceDone == region.extents[2 * source + 1]) {
        source++;
        sourceDone = 0;
      }
      if (destDone == target[2 * dest + 1]) {
        dest++;
        destDone = 0;
      }
    }
  }

  private void release(List<long[]> pieces) {
    for (long[] p : pieces) {
      store.releaseSpace(p[0], p[1]);
    }
  }

  private static long highestEnd(Region region) {
    long end = 0;
    for (int i = 0; i < region.extents.length; i += 2) {
      end = Math.max(end, region.extents[i] + region.extents[i + 1]);
    }
    return end;
  }
}
