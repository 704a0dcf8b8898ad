package io.regionstore.pack;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to copy into the hot section of a packed file: byte ranges of regions and whole regions
 * that a reader needs when it opens, so a remote opener gets them with the front instead of one
 * request each. Which ranges those are is the caller's knowledge (for a Lucene index,
 * {@code io.regionstore.lucene.LucenePackPlan} records them). Immutable and thread-safe; build
 * with {@link #builder()}.
 *
 * <p>Ranges may overlap and touch; packing merges them. Every named region must exist in the
 * packed generation and every range must lie inside its region, else packing fails with {@link
 * IllegalArgumentException}.
 */
public final class PackOptions {
  /**
   * A requested range: {@code length} bytes at {@code offset} of {@code region}.
   *
   * @param region the region's name
   * @param offset where the range starts in the region
   * @param length its length in bytes
   */
  public record Span(String region, long offset, long length) {
    /** @throws IllegalArgumentException if offset or length is negative */
    public Span {
      Objects.requireNonNull(region, "region");
      if (offset < 0 || length < 0) {
        throw new IllegalArgumentException("bad hot range [" + offset + ", +" + length + ") of \"" + region + "\"");
      }
    }
  }

  private static final PackOptions NONE = builder().build();

  private final List<Span> hotRanges;
  private final Set<String> hotRegions;

  private PackOptions(Builder b) {
    this.hotRanges = List.copyOf(b.hotRanges);
    this.hotRegions = Set.copyOf(b.hotRegions);
  }

  /** No hot section. */
  public static PackOptions none() {
    return NONE;
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The requested ranges, in the order added. */
  public List<Span> hotRanges() {
    return hotRanges;
  }

  /** The regions to copy whole. */
  public Set<String> hotRegions() {
    return hotRegions;
  }

  /** Builds {@link PackOptions}. Not thread-safe. */
  public static final class Builder {
    private final List<Span> hotRanges = new ArrayList<>();
    private final Set<String> hotRegions = new LinkedHashSet<>();

    private Builder() {}

    /** Adds {@code length} bytes at {@code offset} of {@code region} to the hot section. */
    public Builder hotRange(String region, long offset, long length) {
      hotRanges.add(new Span(region, offset, length));
      return this;
    }

    /** Adds the whole of {@code region} to the hot section. */
    public Builder hotRegion(String region) {
      hotRegions.add(Objects.requireNonNull(region, "region"));
      return this;
    }

    /** The options. */
    public PackOptions build() {
      return new PackOptions(this);
    }
  }
}
