package io.regionstore.alloc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Extents that no live region references any more but that must not be reused yet, keyed by the
 * catalog generation that first left them out ("freed at").
 *
 * <p>An extent freed at generation {@code f} becomes reusable when both catalog slots leave it out
 * (the durable generation is at least {@code f + 1}, so a fallback to the older slot can never
 * point at reused bytes) and no reader in another process pins a generation below {@code f}.
 *
 * <p>Not thread-safe: {@link SpaceAllocator} guards it.
 */
public final class PendingFrees {
  private final TreeMap<Long, List<long[]>> byGeneration = new TreeMap<>();
  private long bytes;

  /** Where reusable extents go. */
  @FunctionalInterface
  public interface Sink {
    /** Takes a reusable extent. */
    void add(long offset, long length);
  }

  /** Adds an extent freed at generation {@code freedAt}. */
  public void add(long freedAt, long offset, long length) {
    byGeneration.computeIfAbsent(freedAt, g -> new ArrayList<>()).add(new long[] {offset, length});
    bytes += length;
  }

  /** The smallest freed-at generation waiting, or {@link Long#MAX_VALUE} if none. */
  public long oldestGeneration() {
    return byGeneration.isEmpty() ? Long.MAX_VALUE : byGeneration.firstKey();
  }

  /**
   * Moves every extent that became reusable into {@code free}.
   *
   * @param free takes each reusable extent
   * @param durableGeneration the newest durable catalog generation
   * @param minPinnedGeneration the oldest generation a reader in another process pins, or {@link
   *     Long#MAX_VALUE}
   * @return how many bytes were moved
   */
  public long releaseInto(Sink free, long durableGeneration, long minPinnedGeneration) {
    long released = 0;
    Iterator<Map.Entry<Long, List<long[]>>> it = byGeneration.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, List<long[]>> e = it.next();
      long freedAt = e.getKey();
      if (durableGeneration < freedAt + 1 || minPinnedGeneration < freedAt) {
        break;
      }
      for (long[] extent : e.getValue()) {
        free.add(extent[0], extent[1]);
        released += extent[1];
      }
      it.remove();
    }
    bytes -= released;
    return released;
  }

  /** Passes each waiting extent, as {offset, length}, to {@code action}. */
  public void forEach(Consumer<long[]> action) {
    for (List<long[]> list : byGeneration.values()) {
      for (long[] extent : list) {
        action.accept(extent.clone());
      }
    }
  }

  /** Bytes waiting. */
  public long bytes() {
    return bytes;
  }
}
