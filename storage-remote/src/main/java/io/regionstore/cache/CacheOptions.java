package io.regionstore.cache;

/**
 * How a {@link SlotCache} is sized. Immutable; build one with {@link #builder()}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code blockSize}</td><td>64 KiB</td><td>bytes per slot and per cached block; a power
 *       of two in [4 KiB, 16 MiB]. Contents are cut into blocks of this size.</td></tr>
 *   <tr><td>{@code initialCapacity}</td><td>64 MiB</td><td>size of the cache file when the cache
 *       opens; a multiple of the block size</td></tr>
 *   <tr><td>{@code maxCapacity}</td><td>1 GiB</td><td>the file grows (doubling) up to this size
 *       and never past it; a multiple of the block size, at least {@code initialCapacity}, at most
 *       2^31 - 1 slots</td></tr>
 *   <tr><td>{@code prefetchThreads}</td><td>16</td><td>threads that run background prefetches, in
 *       [0, 256]; 0 turns prefetching off. As many as an HTTP source's default in-flight bound, so
 *       that Lucene's hints for the segments of one query (a term's blocks in each segment's terms
 *       dictionary) go out at once; made as needed</td></tr>
 *   <tr><td>{@code maxQueuedPrefetches}</td><td>64</td><td>prefetch runs queued or running at
 *       once, in [1, 65536]; a prefetch beyond that is dropped (it is only a hint)</td></tr>
 *   <tr><td>{@code maxReadAhead}</td><td>1 MiB</td><td>most bytes a miss may fetch past the block
 *       it needs, in the same request, when the reader reads sequentially ({@link
 *       CachedContent#pinReadingAhead}); in [0, 64 MiB]; 0 fetches only the block needed</td></tr>
 *   <tr><td>{@code persistent}</td><td>true</td><td>whether the cache keeps its blocks across
 *       restarts (a journal in the folder records which slot holds which block; close keeps the
 *       file). False: the cache opens empty and close deletes its file</td></tr>
 * </table>
 */
public final class CacheOptions {
  /** Default block size: 64 KiB. */
  public static final int DEFAULT_BLOCK_SIZE = 1 << 16;
  /** Smallest block size: 4 KiB (a page). */
  public static final int MIN_BLOCK_SIZE = 1 << 12;
  /** Largest block size: 16 MiB. */
  public static final int MAX_BLOCK_SIZE = 1 << 24;
  /** Default initial capacity: 64 MiB. */
  public static final long DEFAULT_INITIAL_CAPACITY = 1L << 26;
  /** Default maximum capacity: 1 GiB. */
  public static final long DEFAULT_MAX_CAPACITY = 1L << 30;
  /** Default prefetch threads: 16. */
  public static final int DEFAULT_PREFETCH_THREADS = 16;
  /** Default bound on queued or running prefetch runs: 64. */
  public static final int DEFAULT_MAX_QUEUED_PREFETCHES = 64;
  /** Default read-ahead bound: 1 MiB. */
  public static final int DEFAULT_MAX_READ_AHEAD = 1 << 20;
  /** Largest read-ahead bound: 64 MiB. */
  public static final int MAX_READ_AHEAD = 1 << 26;

  private final int blockSize;
  private final long initialCapacity;
  private final long maxCapacity;
  private final int prefetchThreads;
  private final int maxQueuedPrefetches;
  private final int maxReadAhead;
  private final boolean persistent;

  private CacheOptions(Builder b) {
    this.blockSize = b.blockSize;
    this.initialCapacity = b.initialCapacity;
    this.maxCapacity = b.maxCapacity;
    this.prefetchThreads = b.prefetchThreads;
    this.maxQueuedPrefetches = b.maxQueuedPrefetches;
    this.maxReadAhead = b.maxReadAhead;
    this.persistent = b.persistent;
  }

  /** The defaults. */
  public static CacheOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Bytes per slot and per block. */
  public int blockSize() {
    return blockSize;
  }

  /** Size of the cache file at open. */
  public long initialCapacity() {
    return initialCapacity;
  }

  /** Size the cache file never exceeds. */
  public long maxCapacity() {
    return maxCapacity;
  }

  /** Threads running background prefetches (0: none). */
  public int prefetchThreads() {
    return prefetchThreads;
  }

  /** Prefetch runs queued or running at once. */
  public int maxQueuedPrefetches() {
    return maxQueuedPrefetches;
  }

  /** Most bytes a sequential miss fetches past the block it needs (0: none). */
  public int maxReadAhead() {
    return maxReadAhead;
  }

  /** Whether the cache survives restarts (else it opens empty and close deletes its file). */
  public boolean persistent() {
    return persistent;
  }

  @Override
  public String toString() {
    return "CacheOptions[blockSize="
        + blockSize
        + ", initialCapacity="
        + initialCapacity
        + ", maxCapacity="
        + maxCapacity
        + ", prefetchThreads="
        + prefetchThreads
        + ", maxQueuedPrefetches="
        + maxQueuedPrefetches
        + ", maxReadAhead="
        + maxReadAhead
        + ", persistent="
        + persistent
        + "]";
  }

  /**
   * Builds {@link CacheOptions}. Each setter checks its own argument at once; {@link #build()}
   * checks how they fit together. Every refusal is an {@link IllegalArgumentException} naming the
   * option.
   */
  public static final class Builder {
    private int blockSize = DEFAULT_BLOCK_SIZE;
    private long initialCapacity = DEFAULT_INITIAL_CAPACITY;
    private long maxCapacity = DEFAULT_MAX_CAPACITY;
    private int prefetchThreads = DEFAULT_PREFETCH_THREADS;
    private int maxQueuedPrefetches = DEFAULT_MAX_QUEUED_PREFETCHES;
    private int maxReadAhead = DEFAULT_MAX_READ_AHEAD;
    private boolean persistent = true;

    private Builder() {}

    /**
     * Whether the cache keeps its blocks across restarts (the default). False makes a throwaway
     * cache: it ignores and removes what an earlier cache left in the folder, and close deletes its
     * file.
     */
    public Builder persistent(boolean keep) {
      this.persistent = keep;
      return this;
    }

    /** @throws IllegalArgumentException unless a power of two in [4 KiB, 16 MiB] */
    public Builder blockSize(int bytes) {
      if (Integer.bitCount(bytes) != 1 || bytes < MIN_BLOCK_SIZE || bytes > MAX_BLOCK_SIZE) {
        throw new IllegalArgumentException(
            "blockSize must be a power of two in [" + MIN_BLOCK_SIZE + ", " + MAX_BLOCK_SIZE + "], got " + bytes);
      }
      this.blockSize = bytes;
      return this;
    }

    /** @throws IllegalArgumentException unless positive */
    public Builder initialCapacity(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("initialCapacity must be > 0, got " + bytes);
      }
      this.initialCapacity = bytes;
      return this;
    }

    /** @throws IllegalArgumentException unless positive */
    public Builder maxCapacity(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxCapacity must be > 0, got " + bytes);
      }
      this.maxCapacity = bytes;
      return this;
    }

    /** @throws IllegalArgumentException unless in [0, 256] */
    public Builder prefetchThreads(int threads) {
      if (threads < 0 || threads > 256) {
        throw new IllegalArgumentException("prefetchThreads must be in [0, 256], got " + threads);
      }
      this.prefetchThreads = threads;
      return this;
    }

    /** @throws IllegalArgumentException unless in [1, 65536] */
    public Builder maxQueuedPrefetches(int runs) {
      if (runs < 1 || runs > 65536) {
        throw new IllegalArgumentException("maxQueuedPrefetches must be in [1, 65536], got " + runs);
      }
      this.maxQueuedPrefetches = runs;
      return this;
    }

    /** @throws IllegalArgumentException unless in [0, 64 MiB] */
    public Builder maxReadAhead(int bytes) {
      if (bytes < 0 || bytes > MAX_READ_AHEAD) {
        throw new IllegalArgumentException("maxReadAhead must be in [0, " + MAX_READ_AHEAD + "], got " + bytes);
      }
      this.maxReadAhead = bytes;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException if a capacity is not a multiple of the block size, {@code
     *     maxCapacity < initialCapacity}, or {@code maxCapacity} has more than 2^31 - 1 slots
     */
    public CacheOptions build() {
      if (initialCapacity % blockSize != 0) {
        throw new IllegalArgumentException(
            "initialCapacity must be a multiple of blockSize " + blockSize + ", got " + initialCapacity);
      }
      if (maxCapacity % blockSize != 0) {
        throw new IllegalArgumentException(
            "maxCapacity must be a multiple of blockSize " + blockSize + ", got " + maxCapacity);
      }
      if (maxCapacity < initialCapacity) {
        throw new IllegalArgumentException(
            "maxCapacity " + maxCapacity + " must be >= initialCapacity " + initialCapacity);
      }
      if (maxCapacity / blockSize > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "maxCapacity " + maxCapacity + " has more than 2^31 - 1 slots of blockSize " + blockSize);
      }
      return new CacheOptions(this);
    }
  }
}
