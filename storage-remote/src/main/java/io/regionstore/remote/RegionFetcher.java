package io.regionstore.remote;

import io.regionstore.cache.BlockFetcher;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills cache slots with blocks of one region of one version of a packed file: turns a run of
 * blocks into the file ranges that hold them (one per extent the run crosses, so one request for a
 * region in one extent, which is every region under 16 GiB) and reads each range from the
 * version's source straight into the slots.
 *
 * <p>If the file was replaced and the store has moved to the new version ({@link
 * RemoteStore#refresh()}), a region whose content (SHA-256 and length) the new version still has
 * is fetched from the new version, where it may lie elsewhere: those are the same bytes, under the
 * same cache key, that the new version's readers share. Lucene's {@code openIfChanged} keeps the
 * inputs of unchanged segments, which are such readers. A region the new version changed or
 * dropped fails with the {@link SourceChangedException}.
 */
final class RegionFetcher implements BlockFetcher {
  private final RemoteStore store;
  private final StoreVersion version;
  private final PackedRegion region;
  private final int blockSize;

  RegionFetcher(RemoteStore store, StoreVersion version, PackedRegion region, int blockSize) {
    this.store = store;
    this.version = version;
    this.region = region;
    this.blockSize = blockSize;
  }

  @Override
  public void fetch(long firstBlock, List<MemorySegment> targets) throws IOException {
    try {
      fetch(version.source, region, firstBlock, targets);
    } catch (SourceChangedException changed) {
      StoreVersion next = store.newerVersion(version);
      PackedRegion same = next == null ? null : next.sameContent(region);
      if (same == null || !next.acquire()) {
        throw changed;
      }
      try {
        fetch(next.source, same, firstBlock, targets);
      } finally {
        store.readerClosed(next);
      }
    }
  }

  private void fetch(RangeSource source, PackedRegion in, long firstBlock, List<MemorySegment> targets)
      throws IOException {
    long position = firstBlock * blockSize;
    long remaining = 0;
    for (MemorySegment t : targets) {
      remaining += t.byteSize();
    }
    int target = 0;
    long withinTarget = 0;
    while (remaining > 0) {
      long run = Math.min(remaining, in.contiguousFrom(position));
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
      store.read(source, in.fileOffset(position), parts, run);
      position += run;
      remaining -= run;
    }
  }
}
