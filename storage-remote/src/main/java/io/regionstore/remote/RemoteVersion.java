package io.regionstore.remote;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/**
 * The validators of a remote file seen at open: its {@code ETag} and {@code Last-Modified} (either
 * may be null, not both), and what every later request and response does with them.
 *
 * <p>Requests carry a precondition, so that a server whose file changed answers 412 instead of
 * bytes: {@code If-Match} with a strong ETag; else {@code If-Unmodified-Since} with Last-Modified.
 * A weak ETag ({@code W/"..."}) is never sent in If-Match, because If-Match compares strongly and
 * a server following RFC 9110 would then refuse every request. Responses must carry the
 * validators seen at open, unchanged: that catches a replaced file on servers that ignore
 * preconditions, and is the only check for a file that has a weak ETag and no Last-Modified.
 */
record RemoteVersion(String etag, String lastModified) {

  /** The validators of a response; both null if it had none. */
  static RemoteVersion of(HttpHeaders headers) {
    return new RemoteVersion(
        headers.firstValue("ETag").orElse(null), headers.firstValue("Last-Modified").orElse(null));
  }

  boolean isEmpty() {
    return etag == null && lastModified == null;
  }

  /** Adds the precondition described in the class comment, if there is one to add. */
  void addPrecondition(HttpRequest.Builder request) {
    if (etag != null && !etag.startsWith("W/")) {
      request.header("If-Match", etag);
    } else if (lastModified != null) {
      request.header("If-Unmodified-Since", lastModified);
    }
  }

  /**
   * What {@code response} says differs from this version, as a printable version: its validator,
   * {@code "(none)"} if it lacks the one seen at open; or null if it matches.
   */
  String mismatch(HttpHeaders response) {
    RemoteVersion seen = of(response);
    String expected = etag != null ? etag : lastModified;
    String actual = etag != null ? seen.etag : seen.lastModified;
    if (actual == null) {
      return "(none)";
    }
    return actual.equals(expected) ? null : actual;
  }

  /** The version as {@link RangeSource#version()} prints it: the ETag, else Last-Modified. */
  @Override
  public String toString() {
    return etag != null ? etag : lastModified;
  }
}
