package io.regionstore.testserver;

import java.util.Locale;
import java.util.Map;

/**
 * One request as the {@link FaultFront} received it, before any fault changed it.
 *
 * @param method the HTTP method
 * @param target the path and, if any, {@code ?} and the query string
 * @param protocol the HTTP version, e.g. {@code HTTP/1.1} or {@code HTTP/2.0}
 * @param headers the request headers, names in lower case, repeated headers joined with ", "
 */
public record RecordedRequest(String method, String target, String protocol, Map<String, String> headers) {

  /** The value of header {@code name} (any case), or null if the request had none. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
