package io.regionstore.remote;

import io.regionstore.cache.BlockFetcher;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills cache slots with blocks of one region of a packed file: turns a run of blocks into the
 * file ranges that hold them (one per extent the run crosses, so one request for a region in one
 * extent, which is every region under 16 GiB) and reads each range from the source straight into
 * the slots.
 */
final class RegionFetcher implements BlockFetcher {
  private final RemoteStore store;
  private final RangeSource source;
  private final PackedRegion region;
  private final int blockSize;

  RegionFetcher(RemoteStore store, RangeSource source, PackedRegion region, int blockSize) {
    this.store = store;
    this.source = source;
    this.region = region;
    this.blockSize = blockSize;
  }

  @Override
  public void fetch(long firstBlock, List<MemorySegment> targets) throws IOException {
    long position = firstBlock * blockSize;
    long remaining = 0;
    for (MemorySegment t : targets) {
      remaining += t.byteSize();
    }
    int target = 0;
    long withinTarget = 0;
    while (remaining > 0) {
      long run = Math.min(remaining, region.contiguousFrom(position));
      List<MemorySegment> parts = new ArrayList<>(targets.size() - target);
      for (long need = run; need > 0; ) {
        MemorySegment t = targets.get(target);
        long n = Math.min(need, t.byteSize() - withinTarget);
        parts.add(t.asSlice(withinTarget, n));
        need -= n;
        withinTarget += n;
        if (withinTarget == t.byteSize()) {
          target++;
          withinTarget = 0;
        }
      }
      store.read(source, region.fileOffset(position), parts, run);
      position += run;
      remaining -= run;
    }
  }
}
