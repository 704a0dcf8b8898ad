package io.regionstore;

import io.regionstore.pin.ReaderTable;
import java.util.TreeMap;

/**
 * What a read-only store pins in the reader table: the oldest catalog generation that it has
 * loaded and still reads, either through open readers or as its current catalog.
 *
 * <p>Thread-safe (synchronized; only reader open, close and refresh come here, not reads).
 */
final class ReadOnlyPins implements AutoCloseable {
  private final ReaderTable.Slot slot;
  private final TreeMap<Long, Integer> openReaders = new TreeMap<>();
  private long current = Long.MAX_VALUE;

  ReadOnlyPins(ReaderTable.Slot slot) {
    this.slot = slot;
  }

  /** Publishes a pin that covers {@code candidate} too, before it is loaded. */
  synchronized void publish(long candidate) {
    slot.pin(Math.min(candidate, oldest()));
  }

  /** {@code generation} is now the current catalog. */
  synchronized void loaded(long generation) {
    current = generation;
    slot.pin(oldest());
  }

  synchronized void opened(long generation) {
    openReaders.merge(generation, 1, Integer::sum);
  }

  synchronized void closed(long generation) {
    openReaders.computeIfPresent(generation, (g, n) -> n == 1 ? null : n - 1);
    slot.pin(oldest());
  }

  private long oldest() {
    return openReaders.isEmpty() ? current : Math.min(current, openReaders.firstKey());
  }

  @Override
  public synchronized void close() {
    slot.close();
  }
}
