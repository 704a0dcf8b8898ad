package io.regionstore;

import io.regionstore.io.ChannelOpener;
import io.regionstore.mmap.MappedChunks;
import java.util.Objects;

/**
 * How a {@link RegionStore} is opened. Immutable; build one with {@link #builder()}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code chunkSize}</td><td>1 GiB</td><td>size of one mapping of the data file; a power
 *       of two from 64 KiB to 16 GiB. Used when a store is created; an existing store keeps the
 *       chunk size in its header.</td></tr>
 *   <tr><td>{@code readOnly}</td><td>false</td><td>open without the writer lock, at the last
 *       durable catalog generation, pinning it against space reuse by the writer</td></tr>
 *   <tr><td>{@code writeBufferSize}</td><td>64 KiB</td><td>bytes a region writer buffers before
 *       it writes them to the data file</td></tr>
 *   <tr><td>{@code firstExtentSize}</td><td>1 MiB</td><td>space reserved for a new region whose
 *       caller gave no size hint; unused space is given back when the region is sealed</td></tr>
 *   <tr><td>{@code channelOpener}</td><td>{@link ChannelOpener#DEFAULT}</td><td>opens every file
 *       channel (fault injection, instrumentation)</td></tr>
 *   <tr><td>{@code minHoleSize}</td><td>64 KiB</td><td>after each catalog commit, free runs of at
 *       least this many bytes of whole 4 KiB pages are given back to the file system by punching
 *       holes (Linux; elsewhere nothing happens); 0 punches none</td></tr>
 * </table>
 */
public final class StoreOptions {
  /** Default chunk size: 1 GiB. */
  public static final long DEFAULT_CHUNK_SIZE = 1L << 30;
  /** Smallest chunk size: 64 KiB (for tests that cross many chunks). */
  public static final long MIN_CHUNK_SIZE = MappedChunks.MIN_CHUNK_SIZE;
  /** Largest chunk size: 16 GiB, as Lucene's MMapDirectory. */
  public static final long MAX_CHUNK_SIZE = MappedChunks.MAX_CHUNK_SIZE;
  /** Default write buffer: 64 KiB. */
  public static final int DEFAULT_WRITE_BUFFER_SIZE = 1 << 16;
  /** Default first extent of a region without a size hint: 1 MiB. */
  public static final long DEFAULT_FIRST_EXTENT_SIZE = 1L << 20;
  /** Default smallest free run given back to the file system: 64 KiB. */
  public static final long DEFAULT_MIN_HOLE_SIZE = 1L << 16;

  private final long chunkSize;
  private final boolean readOnly;
  private final int writeBufferSize;
  private final long firstExtentSize;
  private final ChannelOpener channelOpener;
  private final long minHoleSize;

  private StoreOptions(Builder b) {
    this.chunkSize = b.chunkSize;
    this.readOnly = b.readOnly;
    this.writeBufferSize = b.writeBufferSize;
    this.firstExtentSize = b.firstExtentSize;
    this.channelOpener = b.channelOpener;
    this.minHoleSize = b.minHoleSize;
  }

  /** The defaults: a writable store with 1 GiB chunks. */
  public static StoreOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder()
        .chunkSize(chunkSize)
        .readOnly(readOnly)
        .writeBufferSize(writeBufferSize)
        .firstExtentSize(firstExtentSize)
        .channelOpener(channelOpener)
        .minHoleSize(minHoleSize);
  }

  /** Size of one mapping of the data file, for a store that is created. */
  public long chunkSize() {
    return chunkSize;
  }

  /** Whether the store is opened read-only. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Bytes a region writer buffers. */
  public int writeBufferSize() {
    return writeBufferSize;
  }

  /** Space first reserved for a region without a size hint. */
  public long firstExtentSize() {
    return firstExtentSize;
  }

  /** Opens every file channel of the store. */
  public ChannelOpener channelOpener() {
    return channelOpener;
  }

  /** The smallest free run given back to the file system after a commit; 0 for none. */
  public long minHoleSize() {
    return minHoleSize;
  }

  /** Builds {@link StoreOptions}; every setter checks its argument at once. */
  public static final class Builder {
    private long chunkSize = DEFAULT_CHUNK_SIZE;
    private boolean readOnly;
    private int writeBufferSize = DEFAULT_WRITE_BUFFER_SIZE;
    private long firstExtentSize = DEFAULT_FIRST_EXTENT_SIZE;
    private ChannelOpener channelOpener = ChannelOpener.DEFAULT;
    private long minHoleSize = DEFAULT_MIN_HOLE_SIZE;

    private Builder() {}

    /**
     * Sets the chunk size.
     *
     * @throws IllegalArgumentException unless a power of two in [64 KiB, 16 GiB]
     */
    public Builder chunkSize(long bytes) {
      if (Long.bitCount(bytes) != 1 || bytes < MIN_CHUNK_SIZE || bytes > MAX_CHUNK_SIZE) {
        throw new IllegalArgumentException(
            "chunkSize must be a power of two in ["
                + MIN_CHUNK_SIZE
                + ", "
                + MAX_CHUNK_SIZE
                + "], got "
                + bytes);
      }
      this.chunkSize = bytes;
      return this;
    }

    /** Opens the store read-only. */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Sets the per-writer buffer.
     *
     * @throws IllegalArgumentException unless in [512 B, 16 MiB]
     */
    public Builder writeBufferSize(int bytes) {
      if (bytes < 512 || bytes > (1 << 24)) {
        throw new IllegalArgumentException(
            "writeBufferSize must be in [512, 16777216], got " + bytes);
      }
      this.writeBufferSize = bytes;
      return this;
    }

    /**
     * Sets the first extent reserved for a region without a size hint.
     *
     * @throws IllegalArgumentException unless in [4 KiB, 1 GiB]
     */
    public Builder firstExtentSize(long bytes) {
      if (bytes < 4096 || bytes > (1L << 30)) {
        throw new IllegalArgumentException(
            "firstExtentSize must be in [4096, 1073741824], got " + bytes);
      }
      this.firstExtentSize = bytes;
      return this;
    }

    /** Sets what opens the store's file channels. */
    public Builder channelOpener(ChannelOpener opener) {
      this.channelOpener = Objects.requireNonNull(opener, "channelOpener");
      return this;
    }

    /**
     * Sets the smallest run of free whole pages that is given back to the file system (by punching
     * a hole) after each catalog commit; 0 punches none.
     *
     * @throws IllegalArgumentException unless 0 or a multiple of 4096 up to 1 GiB
     */
    public Builder minHoleSize(long bytes) {
      if (bytes < 0 || bytes % 4096 != 0 || bytes > (1L << 30)) {
        throw new IllegalArgumentException(
            "minHoleSize must be 0 or a multiple of 4096 up to 1073741824, got " + bytes);
      }
      this.minHoleSize = bytes;
      return this;
    }

    /** The options. */
    public StoreOptions build() {
      return new StoreOptions(this);
    }
  }
}
