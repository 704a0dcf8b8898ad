package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void retriesServerErrorsRequestTimeoutAndTooManyRequestsOnly() {
    for (int status : new int[] {500, 502, 503, 504, 599, 408, 429}) {
      assertTrue(Backoff.retryable(status), "" + status);
    }
    for (int status : new int[] {200, 206, 301, 400, 401, 403, 404, 412, 416, 499}) {
      assertFalse(Backoff.retryable(status), "" + status);
    }
  }

  @Test
  void delayDoublesUpToTheMaximumWithJitterInTheUpperHalf() {
    Backoff backoff =
        new Backoff(
            HttpRangeSourceOptions.builder()
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(1000))
                .build());
    long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
    for (int n = 1; n <= ceilings.length; n++) {
      long ceiling = Duration.ofMillis(ceilings[n - 1]).toNanos();
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long d = backoff.delayNanos(n);
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
      assertTrue(min >= ceiling / 2 && max <= ceiling, "retry " + n + ": " + min + ".." + max);
      assertTrue(max - min > ceiling / 4, "retry " + n + " is jittered: " + min + ".." + max);
    }
    assertTrue(backoff.delayNanos(Integer.MAX_VALUE) <= Duration.ofMillis(1000).toNanos());
  }

  @Test
  void hugeBackoffsDoNotOverflow() {
    Backoff backoff =
        new Backoff(
            HttpRangeSourceOptions.builder()
                .initialBackoff(Duration.ofDays(1000))
                .maxBackoff(Duration.ofDays(100_000))
                .build());
    long d = backoff.delayNanos(100);
    assertTrue(d >= Duration.ofDays(50_000).toNanos() && d <= Duration.ofDays(100_000).toNanos(), "" + d);
  }

  @Test
  void zeroBackoffIsZero() {
    Backoff backoff =
        new Backoff(HttpRangeSourceOptions.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build());
    assertEquals(0, backoff.delayNanos(1));
    assertEquals(0, backoff.delayNanos(5));
  }
}
