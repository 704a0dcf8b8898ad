package io.regionstore.remote;

import java.io.IOException;

/**
 * The server answered a range request, but not as HTTP range requests require: it ignored {@code
 * Range} (200 with the whole file), sent another range or total than asked, a body of another
 * length, or no validator ({@code ETag} or {@code Last-Modified}) to detect a replaced file by.
 * Never retried: the server would answer the same again. The message names the URL (without its
 * query string) and the byte range.
 */
public final class RangeProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message what was asked and what came back */
  public RangeProtocolException(String message) {
    super(message);
  }
}
