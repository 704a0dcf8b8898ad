package io.regionstore.s3;

import io.regionstore.remote.HttpRangeSourceOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * How {@link S3RangeSource} and {@link S3Publisher} reach S3 or an S3-compatible store. Immutable;
 * made with {@link #builder()} or {@link #defaults()}; every option has a documented default.
 *
 * <p><b>Where.</b> {@link #region()} (default: the SDK's region chain, {@code AWS_REGION}, the
 * profile, instance metadata; else {@code us-east-1}); {@link #endpoint()} and {@link
 * #pathStyle()} for S3-compatible stores (MinIO, Ceph, R2, ...), whose buckets are usually
 * addressed as {@code endpoint/bucket/key}.
 *
 * <p><b>Who.</b> {@link #credentials()}: the SDK's default chain (environment, system properties,
 * web identity, profiles, container and instance metadata) unless credentials are given in code.
 *
 * <p><b>Retries and timeouts</b> follow the policy of {@link HttpRangeSourceOptions}, with the
 * same defaults: an attempt failing with a 5xx status, throttling, a timeout or a transport error
 * (a body cut short or reset included) is tried again after a backoff drawn uniformly from
 * {@code [d/2, d]} with {@code d = min(maxBackoff, initialBackoff * 2^(n-1))}, up to {@link
 * #maxAttempts()} attempts; nothing else is retried. {@link #requestTimeout()} bounds each wait for
 * bytes (the socket read timeout), so a stalled body fails and is retried.
 */
public final class S3Options {

  /** Default {@link #partSize()}: 16 MiB (see there why). */
  public static final long DEFAULT_PART_SIZE = 16L << 20;
  /** The smallest part S3 accepts (every part but the last). */
  public static final long MIN_PART_SIZE = 5L << 20;
  /** The largest part, and the largest single PUT, S3 accepts. */
  public static final long MAX_PART_SIZE = 5L << 30;
  /** The region used when none is set and the SDK's region chain finds none. */
  public static final String FALLBACK_REGION = "us-east-1";

  private static final S3Options DEFAULTS = builder().build();

  private final String region;
  private final URI endpoint;
  private final boolean pathStyle;
  private final AwsCredentialsProvider credentials;
  private final int maxInFlight;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final long partSize;

  private S3Options(Builder b) {
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.pathStyle = b.pathStyle;
    this.credentials = b.credentials;
    this.maxInFlight = b.maxInFlight;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.partSize = b.partSize;
  }

  /** The defaults. */
  public static S3Options defaults() {
    return DEFAULTS;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.region = region;
    b.endpoint = endpoint;
    b.pathStyle = pathStyle;
    b.credentials = credentials;
    b.maxInFlight = maxInFlight;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.partSize = partSize;
    return b;
  }

  /** The region (e.g. {@code eu-west-1}), or null for the SDK's region chain. */
  public String region() {
    return region;
  }

  /** Where requests go instead of AWS's endpoint of the region, or null (default). */
  public URI endpoint() {
    return endpoint;
  }

  /** Whether buckets are addressed as {@code endpoint/bucket} (path style; default false). */
  public boolean pathStyle() {
    return pathStyle;
  }

  /** Where credentials come from; the SDK's default chain unless set. */
  public AwsCredentialsProvider credentials() {
    return credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
  }

  /** Whether credentials were given in code ({@link Builder#credentials}). */
  public boolean credentialsInCode() {
    return credentials != null;
  }

  /** The most requests of one source in flight at once (default {@value HttpRangeSourceOptions#DEFAULT_MAX_IN_FLIGHT}). */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** How long establishing a connection may take (default 10 s). */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long a wait for the next bytes of an answer may take (default 30 s). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The most attempts of one request, the first included (default 4). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The backoff before the first retry, before jitter (default 100 ms). */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The largest backoff, before jitter (default 2 s). */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The part size of multipart uploads, and the largest pack sent in one PUT (default 16 MiB). A
   * pack up to this size is one PUT request; a larger one is sent in parts of this size (the
   * publisher raises it for packs over 10,000 parts, S3's limit). 16 MiB: every part is a billed
   * request, so parts far above S3's 5 MiB minimum make a 1 GiB pack 64 requests instead of 205;
   * a failed part is sent again whole, so parts far below 5 GiB keep a retry cheap; and 16 MiB
   * parts reach S3's 10,000-part limit only at 156 GiB.
   */
  public long partSize() {
    return partSize;
  }

  /** Collects options; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private String region;
    private URI endpoint;
    private boolean pathStyle;
    private AwsCredentialsProvider credentials;
    private int maxInFlight = HttpRangeSourceOptions.DEFAULT_MAX_IN_FLIGHT;
    private Duration connectTimeout = HttpRangeSourceOptions.DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = HttpRangeSourceOptions.DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = HttpRangeSourceOptions.DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = HttpRangeSourceOptions.DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = HttpRangeSourceOptions.DEFAULT_MAX_BACKOFF;
    private long partSize = DEFAULT_PART_SIZE;

    private Builder() {}

    /** See {@link S3Options#region()}; null for the SDK's chain. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** See {@link S3Options#endpoint()}; an http(s) URI, or null. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** See {@link S3Options#pathStyle()}. */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** Credentials given in code, e.g. {@code StaticCredentialsProvider.create(...)}; null for the default chain. */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /** See {@link S3Options#maxInFlight()}; at least 1. */
    public Builder maxInFlight(int n) {
      this.maxInFlight = n;
      return this;
    }

    /** See {@link S3Options#connectTimeout()}; positive. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link S3Options#requestTimeout()}; positive. */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link S3Options#maxAttempts()}; at least 1 (1 = no retries). */
    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    /** See {@link S3Options#initialBackoff()}; not negative. */
    public Builder initialBackoff(Duration d) {
      this.initialBackoff = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link S3Options#maxBackoff()}; at least the initial backoff. */
    public Builder maxBackoff(Duration d) {
      this.maxBackoff = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link S3Options#partSize()}; from {@link #MIN_PART_SIZE} to {@link #MAX_PART_SIZE}. */
    public Builder partSize(long bytes) {
      this.partSize = bytes;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public S3Options build() {
      require(maxInFlight >= 1, "maxInFlight must be at least 1: " + maxInFlight);
      require(maxAttempts >= 1, "maxAttempts must be at least 1: " + maxAttempts);
      require(connectTimeout.isPositive(), "connectTimeout must be positive: " + connectTimeout);
      require(requestTimeout.isPositive(), "requestTimeout must be positive: " + requestTimeout);
      require(!initialBackoff.isNegative(), "initialBackoff must not be negative: " + initialBackoff);
      require(maxBackoff.compareTo(initialBackoff) >= 0, "maxBackoff " + maxBackoff + " is less than initialBackoff " + initialBackoff);
      require(
          partSize >= MIN_PART_SIZE && partSize <= MAX_PART_SIZE,
          "partSize must be from 5 MiB to 5 GiB (S3's limits): " + partSize);
      require(
          endpoint == null || ("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())) && endpoint.getHost() != null,
          "endpoint must be an http(s) URI with a host: " + endpoint);
      require(region == null || region.matches("[a-z0-9-]+"), "not a region name: " + region);
      return new S3Options(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
