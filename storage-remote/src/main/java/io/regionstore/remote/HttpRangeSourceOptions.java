package io.regionstore.remote;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * How an {@link HttpRangeSource} talks to its server. Immutable; made with {@link #builder()}, or
 * {@link #defaults()}. Every option has a documented default (the {@code DEFAULT_} constants).
 *
 * <p>Retry policy: an attempt that fails with a 5xx status, 408, 429, a timeout or a transport
 * error (connection refused or reset, body cut short) is tried again after a backoff, until {@link
 * #maxAttempts()} attempts were made or the next one would start after {@link #retryBudget()}
 * from the first: so a read takes at most about {@code retryBudget + requestTimeout}. The backoff
 * before retry {@code n} (1, 2, ...) is drawn uniformly from {@code [d/2, d]} with {@code d =
 * min(maxBackoff, initialBackoff * 2^(n-1))} (jitter spreads the retries of many readers). Nothing
 * else is retried: not other 4xx statuses, not a replaced file ({@link SourceChangedException}),
 * not a server that breaks the range protocol ({@link RangeProtocolException}).
 */
public final class HttpRangeSourceOptions {

  /** Default {@link #maxInFlight()}: 16 requests. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  /** Default {@link #connectTimeout()}: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Default {@link #requestTimeout()}: 30 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #maxAttempts()}: 4 (the first try and 3 retries). */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;
  /** Default {@link #initialBackoff()}: 100 milliseconds. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  /** Default {@link #maxBackoff()}: 2 seconds. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);
  /** Default {@link #retryBudget()}: 60 seconds. */
  public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(60);

  private static final HttpRangeSourceOptions DEFAULTS = builder().build();

  private final int maxInFlight;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration retryBudget;
  private final Supplier<Map<String, String>> headers;
  private final SSLContext sslContext;

  private HttpRangeSourceOptions(Builder b) {
    this.maxInFlight = b.maxInFlight;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.retryBudget = b.retryBudget;
    this.headers = b.headers;
    this.sslContext = b.sslContext;
  }

  /** The defaults. */
  public static HttpRangeSourceOptions defaults() {
    return DEFAULTS;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The most requests of one source in flight at once; more readers wait for a slot. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** How long establishing a connection may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long one attempt may take, from sending the request to the last byte of the body. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The most attempts for one read (or the open), the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The backoff before the first retry (before jitter). */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The largest backoff between two attempts (before jitter). */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** No retry starts later than this after a read's first attempt. */
  public Duration retryBudget() {
    return retryBudget;
  }

  /**
   * Extra request headers, asked for again before every attempt (so a refreshed token is used):
   * e.g. {@code () -> Map.of("Authorization", "Bearer " + tokens.current())}. Default: none. A
   * presigned URL needs none: its query string is sent as it is.
   */
  public Supplier<Map<String, String>> headers() {
    return headers;
  }

  /**
   * The TLS context for https URLs, e.g. one that trusts a private CA; null (the default) for the
   * JDK's default context.
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** Collects options; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration retryBudget = DEFAULT_RETRY_BUDGET;
    private Supplier<Map<String, String>> headers = Map::of;
    private SSLContext sslContext;

    private Builder() {}

    /** See {@link HttpRangeSourceOptions#maxInFlight()}; at least 1. */
    public Builder maxInFlight(int n) {
      this.maxInFlight = n;
      return this;
    }

    /** See {@link HttpRangeSourceOptions#connectTimeout()}; positive. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link HttpRangeSourceOptions#requestTimeout()}; positive. */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link HttpRangeSourceOptions#maxAttempts()}; at least 1 (1 = no retries). */
    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    /** See {@link HttpRangeSourceOptions#initialBackoff()}; not negative. */
    public Builder initialBackoff(Duration d) {
      this.initialBackoff = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link HttpRangeSourceOptions#maxBackoff()}; at least the initial backoff. */
    public Builder maxBackoff(Duration d) {
      this.maxBackoff = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link HttpRangeSourceOptions#retryBudget()}; not negative. */
    public Builder retryBudget(Duration d) {
      this.retryBudget = Objects.requireNonNull(d);
      return this;
    }

    /** See {@link HttpRangeSourceOptions#headers()}. */
    public Builder headers(Supplier<Map<String, String>> headers) {
      this.headers = Objects.requireNonNull(headers);
      return this;
    }

    /** See {@link HttpRangeSourceOptions#sslContext()}; null for the JDK's default. */
    public Builder sslContext(SSLContext context) {
      this.sslContext = context;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public HttpRangeSourceOptions build() {
      require(maxInFlight >= 1, "maxInFlight must be at least 1: " + maxInFlight);
      require(maxAttempts >= 1, "maxAttempts must be at least 1: " + maxAttempts);
      require(connectTimeout.isPositive(), "connectTimeout must be positive: " + connectTimeout);
      require(requestTimeout.isPositive(), "requestTimeout must be positive: " + requestTimeout);
      require(!initialBackoff.isNegative(), "initialBackoff must not be negative: " + initialBackoff);
      require(
          maxBackoff.compareTo(initialBackoff) >= 0,
          "maxBackoff " + maxBackoff + " is less than initialBackoff " + initialBackoff);
      require(!retryBudget.isNegative(), "retryBudget must not be negative: " + retryBudget);
      return new HttpRangeSourceOptions(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
