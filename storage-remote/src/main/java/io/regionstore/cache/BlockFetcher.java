package io.regionstore.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Fills cache slots with a content's bytes: the cache calls it on a miss, once per run of adjacent
 * missing blocks (a scatter read; {@code RangeSource.read(position, targets)} does exactly this).
 *
 * <p>Contract: fill every target completely, in order, before returning: target {@code i} gets the
 * content's bytes of block {@code firstBlock + i}, that is [(firstBlock + i) * blockSize, ...), and
 * is {@code blockSize} bytes long except for the content's last block, which has exactly the
 * content's remaining bytes. Throw if that is impossible; the cache then fails every caller waiting
 * for these blocks and keeps none of them. Do not touch a target after returning or throwing. Do
 * not pin blocks of the same cache from inside a fetch (it could wait for a fetch that waits for
 * it). May be called from several threads at once (for different blocks), from the cache's
 * prefetch threads, and from a reader that takes over a queued prefetch.
 */
@FunctionalInterface
public interface BlockFetcher {
  /**
   * Fills {@code targets} with blocks {@code firstBlock}, {@code firstBlock + 1}, ... of the
   * content, in order.
   *
   * @throws IOException if the bytes cannot be read
   */
  void fetch(long firstBlock, List<MemorySegment> targets) throws IOException;
}
