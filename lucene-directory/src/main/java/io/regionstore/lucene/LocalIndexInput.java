package io.regionstore.lucene;

import io.regionstore.ReadableRegion;
import io.regionstore.mmap.MappedChunks;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.MemorySegmentAccessInput;
import org.apache.lucene.store.ReadAdvice;

/**
 * An input over a local region ({@link io.regionstore.RegionReader}), whose windows are views of
 * the store's mapping and live until the reader closes: a dead window always means the input or its
 * master is closed, so a read never tries again. Being stable, its windows can be handed out as
 * zero-copy slices ({@link MemorySegmentAccessInput}), as {@code MMapDirectory}'s are. The read
 * paths and the closing rules are {@link RegionIndexInput}'s.
 *
 * <p>Not thread-safe, as any {@link org.apache.lucene.store.IndexInput}: use one clone per thread.
 */
final class LocalIndexInput extends RegionIndexInput implements MemorySegmentAccessInput {
  private static final boolean CAN_PREFETCH = MappedChunks.canPrefetch();

  private LocalIndexInput(
      String description,
      ReadableRegion reader,
      boolean isClone,
      long offset,
      long length,
      ReadAdvice advice) {
    super(description, reader, isClone, offset, length, advice);
  }

  /** A master input over the whole region; it closes {@code reader} when closed. */
  static LocalIndexInput open(String description, ReadableRegion reader, ReadAdvice advice) {
    return new LocalIndexInput(description, reader, false, 0, reader.length(), advice);
  }

  @Override
  LocalIndexInput sameKind(String description, long offset, long length) {
    return new LocalIndexInput(description, reader, true, offset, length, readAdvice());
  }

  @Override
  public LocalIndexInput clone() {
    return (LocalIndexInput) super.clone();
  }

  /** A local window dies only when closed: the master's reader, or this clone or slice. */
  @Override
  void windowDied(RuntimeException e, int attempt) {
    throw alreadyClosed(e);
  }

  /**
   * Asks the OS to read the range ahead ({@code madvise(MADV_WILLNEED)}, which does not split the
   * store's shared chunk mapping) unless {@code mincore} reports it resident (checked sparingly,
   * see {@link #prefetchUnlessLoaded}). Does nothing where native access is not enabled.
   */
  @Override
  void prefetchRange(long at, long len) throws IOException {
    if (CAN_PREFETCH) {
      prefetchUnlessLoaded(at, len);
    }
  }

  /**
   * A zero-copy view of {@code len} bytes at {@code p}, or null if they straddle two windows. The
   * view dies with the master input, like every view of this file.
   *
   * @throws AlreadyClosedException if the input is closed
   */
  @Override
  public MemorySegment segmentSliceOrNull(long p, long len) throws IOException {
    return windowSliceOrNull(p, len);
  }
}
