package io.regionstore.lucene;

import io.regionstore.StoreOptions;
import io.regionstore.io.ChannelOpener;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.apache.lucene.store.FlushInfo;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.MergeInfo;
import org.apache.lucene.store.ReadAdvice;

/**
 * How a {@link RegionDirectory} opens its store and its files. Immutable and thread-safe; build one
 * with {@link #builder()}. Every builder setter checks its argument at once and throws {@link
 * IllegalArgumentException} (or {@link NullPointerException} for a null) naming the option.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code chunkSize}</td><td>1 GiB</td><td>size of one mapping of the data file, a power
 *       of two from 64 KiB to 16 GiB ({@link StoreOptions#chunkSize()}). Only used when the store is
 *       created; an existing store keeps its own. The process maps at most one region of this size
 *       per chunk of the data file, however many files the index has.</td></tr>
 *   <tr><td>{@code writeBufferSize}</td><td>64 KiB</td><td>bytes an {@code IndexOutput} buffers
 *       before writing them to the data file ({@link StoreOptions#writeBufferSize()})</td></tr>
 *   <tr><td>{@code firstExtentSize}</td><td>1 MiB</td><td>space reserved for a new file whose
 *       {@link IOContext} carries no size estimate; the unused tail is given back when the output is
 *       closed ({@link StoreOptions#firstExtentSize()})</td></tr>
 *   <tr><td>{@code minHoleSize}</td><td>64 KiB</td><td>after each commit, free runs of at least
 *       this many bytes of whole pages are given back to the file system by punching holes
 *       ({@link StoreOptions#minHoleSize()}); 0 for none</td></tr>
 *   <tr><td>{@code maxSizeHint}</td><td>64 MiB</td><td>cap on the space reserved up front for a
 *       file written under a flush or merge context. Lucene's estimates are for the whole segment,
 *       not one file, so they are an upper bound; the cap keeps a merge of many files from reserving
 *       gigabytes at once. The data file grows by whole chunks when reservations do not fit, so
 *       with small chunks keep this well below the chunk size, or 0 to ignore the estimates.</td></tr>
 *   <tr><td>{@code preload}</td><td>{@link MMapDirectory#PRELOAD_HINT}</td><td>which files to
 *       read into the page cache when opened (every page is touched once)</td></tr>
 *   <tr><td>{@code readAdvice}</td><td>{@link #ADVISE_BY_HINTS}</td><td>the {@link ReadAdvice} of
 *       a file from its name and context, as {@code MMapDirectory}'s function of that name;
 *       {@code defaultReadAdvice} when it gives none. See {@link RegionDirectory} for what the advice
 *       does and does not do.</td></tr>
 *   <tr><td>{@code channelOpener}</td><td>{@link ChannelOpener#DEFAULT}</td><td>opens the store's
 *       file channels (fault injection, instrumentation)</td></tr>
 *   <tr><td>{@code defaultReadAdvice}</td><td>{@link ReadAdvice#NORMAL}</td><td>advice for files
 *       the {@code readAdvice} function has no opinion on</td></tr>
 *   <tr><td>{@code groupingFunction}</td><td>{@link MMapDirectory#GROUP_BY_SEGMENT}</td><td>the
 *       group of a file opened for reading, as {@code MMapDirectory}'s function of that name: the
 *       inputs of one group share one view scope, closed (at the cost of one JVM thread handshake)
 *       when the last of them closes; until then a closed input's clones and slices may still read
 *       its bytes, and its space is not reused. {@link MMapDirectory#NO_GROUPING} gives every input
 *       its own scope.</td></tr>
 * </table>
 */
public final class RegionDirectoryConfig {
  /**
   * The default {@code readAdvice} function: {@link MMapDirectory#ADVISE_BY_CONTEXT} for a context
   * with hints (such as {@code READONCE} or a {@code DataAccessHint}), nothing for a context
   * without, which then gets {@code defaultReadAdvice}.
   */
  public static final BiFunction<String, IOContext, Optional<ReadAdvice>> ADVISE_BY_HINTS =
      (name, context) ->
          context.hints().isEmpty()
              ? Optional.empty()
              : MMapDirectory.ADVISE_BY_CONTEXT.apply(name, context);

  /** Default {@code maxSizeHint}: 64 MiB. */
  public static final long DEFAULT_MAX_SIZE_HINT = 64L << 20;

  private static final RegionDirectoryConfig DEFAULTS = builder().build();

  private final StoreOptions storeOptions;
  private final long maxSizeHint;
  private final BiPredicate<String, IOContext> preload;
  private final BiFunction<String, IOContext, Optional<ReadAdvice>> readAdvice;
  private final ReadAdvice defaultReadAdvice;
  private final Function<String, Optional<String>> groupingFunction;

  private RegionDirectoryConfig(Builder b) {
    this.storeOptions = b.store.channelOpener(WrappedFileSystemChannels.over(b.channelOpener)).build();
    this.maxSizeHint = b.maxSizeHint;
    this.preload = b.preload;
    this.readAdvice = b.readAdvice;
    this.defaultReadAdvice = b.defaultReadAdvice;
    this.groupingFunction = b.groupingFunction;
  }

  /** The defaults listed above. */
  public static RegionDirectoryConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The chunk size used if the store is created. */
  public long chunkSize() {
    return storeOptions.chunkSize();
  }

  /** Bytes an output buffers. */
  public int writeBufferSize() {
    return storeOptions.writeBufferSize();
  }

  /** Space first reserved for a file without a size estimate. */
  public long firstExtentSize() {
    return storeOptions.firstExtentSize();
  }

  /** Cap on the space reserved from an {@link IOContext} size estimate; 0 ignores estimates. */
  public long maxSizeHint() {
    return maxSizeHint;
  }

  /** The store options this configuration opens a store with. */
  StoreOptions storeOptions(boolean readOnly) {
    return readOnly ? storeOptions.toBuilder().readOnly(true).build() : storeOptions;
  }

  /**
   * The size hint for a new file: the flush or merge estimate of its segment, capped at {@link
   * #maxSizeHint()}; 0 (the store's default first extent) for any other context.
   */
  long expectedLength(IOContext context) {
    long estimate = 0;
    FlushInfo flush = context.flushInfo();
    MergeInfo merge = context.mergeInfo();
    if (flush != null) {
      estimate = flush.estimatedSegmentSize();
    } else if (merge != null) {
      estimate = merge.estimatedMergeBytes();
    }
    return Math.max(0, Math.min(estimate, maxSizeHint));
  }

  /** The smallest free run given back to the file system after a commit; 0 for none. */
  public long minHoleSize() {
    return storeOptions.minHoleSize();
  }

  /** Whether the file should be preloaded when opened. */
  boolean preload(String name, IOContext context) {
    return preload.test(name, context);
  }

  /** The read advice of a file opened with this context. */
  ReadAdvice readAdvice(String name, IOContext context) {
    return readAdvice.apply(name, context).orElse(defaultReadAdvice);
  }

  /** The group key of a file opened for reading, or null for an input with its own scope. */
  String group(String name) {
    return groupingFunction.apply(name).orElse(null);
  }

  @Override
  public String toString() {
    return "RegionDirectoryConfig(chunkSize="
        + chunkSize()
        + ", writeBufferSize="
        + writeBufferSize()
        + ", firstExtentSize="
        + firstExtentSize()
        + ", minHoleSize="
        + minHoleSize()
        + ", maxSizeHint="
        + maxSizeHint
        + ", defaultReadAdvice="
        + defaultReadAdvice
        + ")";
  }

  /** Builds a {@link RegionDirectoryConfig}. Not thread-safe. */
  public static final class Builder {
    private final StoreOptions.Builder store = StoreOptions.builder();
    private long maxSizeHint = DEFAULT_MAX_SIZE_HINT;
    private BiPredicate<String, IOContext> preload = MMapDirectory.PRELOAD_HINT;
    private BiFunction<String, IOContext, Optional<ReadAdvice>> readAdvice = ADVISE_BY_HINTS;
    private ReadAdvice defaultReadAdvice = ReadAdvice.NORMAL;
    private ChannelOpener channelOpener = ChannelOpener.DEFAULT;
    private Function<String, Optional<String>> groupingFunction = MMapDirectory.GROUP_BY_SEGMENT;

    private Builder() {}

    /**
     * Sets how inputs are grouped into shared view scopes, e.g. {@link
     * MMapDirectory#NO_GROUPING}.
     */
    public Builder groupingFunction(Function<String, Optional<String>> groupingFunction) {
      this.groupingFunction = Objects.requireNonNull(groupingFunction, "groupingFunction");
      return this;
    }

    /**
     * Sets what opens the store's file channels ({@link StoreOptions#channelOpener()}): the seam
     * for fault injection and instrumentation, e.g. a {@link io.regionstore.io.ForwardingFileChannel}
     * that counts or fails calls.
     */
    public Builder channelOpener(ChannelOpener opener) {
      this.channelOpener = java.util.Objects.requireNonNull(opener, "channelOpener");
      return this;
    }

    /**
     * Sets the chunk size for a store that is created.
     *
     * @throws IllegalArgumentException unless a power of two in [64 KiB, 16 GiB]
     */
    public Builder chunkSize(long bytes) {
      store.chunkSize(bytes);
      return this;
    }

    /**
     * Sets the bytes an output buffers.
     *
     * @throws IllegalArgumentException unless in [512 B, 16 MiB]
     */
    public Builder writeBufferSize(int bytes) {
      store.writeBufferSize(bytes);
      return this;
    }

    /**
     * Sets the space first reserved for a file without a size estimate.
     *
     * @throws IllegalArgumentException unless in [4 KiB, 1 GiB]
     */
    public Builder firstExtentSize(long bytes) {
      store.firstExtentSize(bytes);
      return this;
    }

    /**
     * Sets the smallest free run given back to the file system after a commit; 0 for none.
     *
     * @throws IllegalArgumentException unless 0 or a multiple of 4096 up to 1 GiB
     */
    public Builder minHoleSize(long bytes) {
      store.minHoleSize(bytes);
      return this;
    }

    /**
     * Sets the cap on space reserved from an {@link IOContext} estimate; 0 ignores estimates.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxSizeHint(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxSizeHint must be >= 0, got " + bytes);
      }
      this.maxSizeHint = bytes;
      return this;
    }

    /** Sets which files are preloaded when opened, e.g. {@link MMapDirectory#ALL_FILES}. */
    public Builder preload(BiPredicate<String, IOContext> preload) {
      this.preload = Objects.requireNonNull(preload, "preload");
      return this;
    }

    /** Sets how a file's read advice is chosen from its name and context. */
    public Builder readAdvice(BiFunction<String, IOContext, Optional<ReadAdvice>> readAdvice) {
      this.readAdvice = Objects.requireNonNull(readAdvice, "readAdvice");
      return this;
    }

    /** Sets the advice for files the {@code readAdvice} function gives none for. */
    public Builder defaultReadAdvice(ReadAdvice advice) {
      this.defaultReadAdvice = Objects.requireNonNull(advice, "defaultReadAdvice");
      return this;
    }

    /** The configuration. */
    public RegionDirectoryConfig build() {
      return new RegionDirectoryConfig(this);
    }
  }
}
