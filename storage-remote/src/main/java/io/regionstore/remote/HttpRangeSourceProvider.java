package io.regionstore.remote;

import java.net.URI;
import java.util.Set;

/**
 * The built-in provider of {@code http} and {@code https} URIs: {@link HttpRangeSource}s with
 * {@link HttpRangeSourceOptions#defaults()}. Cannot publish. Thread-safe.
 */
public final class HttpRangeSourceProvider implements RangeSourceProvider {

  /** For {@link java.util.ServiceLoader}. */
  public HttpRangeSourceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("http", "https");
  }

  @Override
  public RangeSourceOpener opener(URI uri) {
    RangeClient.checkedScheme(uri);
    return () -> HttpRangeSource.open(uri);
  }
}
