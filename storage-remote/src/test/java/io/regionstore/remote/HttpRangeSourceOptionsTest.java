package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRangeSourceOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    HttpRangeSourceOptions o = HttpRangeSourceOptions.defaults();
    assertEquals(16, o.maxInFlight());
    assertEquals(Duration.ofSeconds(10), o.connectTimeout());
    assertEquals(Duration.ofSeconds(30), o.requestTimeout());
    assertEquals(4, o.maxAttempts());
    assertEquals(Duration.ofMillis(100), o.initialBackoff());
    assertEquals(Duration.ofSeconds(2), o.maxBackoff());
    assertEquals(Duration.ofSeconds(60), o.retryBudget());
    assertEquals(Map.of(), o.headers().get());
    assertEquals(null, o.sslContext());
  }

  @Test
  void builderSetsEveryOption() throws Exception {
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    HttpRangeSourceOptions o =
        HttpRangeSourceOptions.builder()
            .maxInFlight(3)
            .connectTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(2))
            .maxAttempts(1)
            .initialBackoff(Duration.ZERO)
            .maxBackoff(Duration.ofMillis(5))
            .retryBudget(Duration.ofSeconds(7))
            .headers(() -> Map.of("Authorization", "Bearer x"))
            .sslContext(tls)
            .build();
    assertEquals(3, o.maxInFlight());
    assertEquals(Duration.ofSeconds(1), o.connectTimeout());
    assertEquals(Duration.ofSeconds(2), o.requestTimeout());
    assertEquals(1, o.maxAttempts());
    assertEquals(Duration.ZERO, o.initialBackoff());
    assertEquals(Duration.ofMillis(5), o.maxBackoff());
    assertEquals(Duration.ofSeconds(7), o.retryBudget());
    assertEquals(Map.of("Authorization", "Bearer x"), o.headers().get());
    assertEquals(tls, o.sslContext());
  }

  @Test
  void outOfRangeOptionsAreNamed() {
    assertEquals("maxInFlight must be at least 1: 0", fails(HttpRangeSourceOptions.builder().maxInFlight(0)));
    assertEquals("maxAttempts must be at least 1: 0", fails(HttpRangeSourceOptions.builder().maxAttempts(0)));
    assertEquals(
        "connectTimeout must be positive: PT0S", fails(HttpRangeSourceOptions.builder().connectTimeout(Duration.ZERO)));
    assertEquals(
        "requestTimeout must be positive: PT-1S",
        fails(HttpRangeSourceOptions.builder().requestTimeout(Duration.ofSeconds(-1))));
    assertEquals(
        "initialBackoff must not be negative: PT-0.001S",
        fails(HttpRangeSourceOptions.builder().initialBackoff(Duration.ofMillis(-1))));
    assertEquals(
        "maxBackoff PT0.05S is less than initialBackoff PT0.1S",
        fails(HttpRangeSourceOptions.builder().maxBackoff(Duration.ofMillis(50))));
    assertEquals(
        "retryBudget must not be negative: PT-1S", fails(HttpRangeSourceOptions.builder().retryBudget(Duration.ofSeconds(-1))));
  }

  private static String fails(HttpRangeSourceOptions.Builder b) {
    return assertThrows(IllegalArgumentException.class, b::build).getMessage();
  }
}
