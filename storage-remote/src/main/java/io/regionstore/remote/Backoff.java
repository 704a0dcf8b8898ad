package io.regionstore.remote;

import java.util.concurrent.ThreadLocalRandom;

/** The retry policy's numbers (see {@link HttpRangeSourceOptions}): what is retried, and how long to wait. */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;

  Backoff(HttpRangeSourceOptions options) {
    this.initialNanos = options.initialBackoff().toNanos();
    this.maxNanos = options.maxBackoff().toNanos();
  }

  /** Whether an answer with {@code status} is worth another attempt: 5xx, 408 and 429. */
  static boolean retryable(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  /** The wait before retry {@code n} (1 = the first retry), with jitter: uniform in [d/2, d]. */
  long delayNanos(int n) {
    long d = initialNanos;
    for (int i = 1; i < n && d < maxNanos; i++) {
      d = d > maxNanos / 2 ? maxNanos : d * 2;
    }
    d = Math.min(d, maxNanos);
    return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
  }
}
