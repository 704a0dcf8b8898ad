package io.regionstore.remote;

import java.io.IOException;

/**
 * A range request failed: the server answered a status that is not retried (most 4xx), or every
 * attempt the retry policy allowed failed ({@link HttpRangeSourceOptions}). The message names the
 * URL (without its query string), the byte range, the status or error of the last attempt and the
 * number of attempts; the cause is the last attempt's transport error, if it had one.
 */
public final class RangeRequestException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int attempts;

  /**
   * @param message what failed, naming URL and range
   * @param status the last attempt's HTTP status, or -1 if it got no response
   * @param attempts the number of attempts made
   * @param cause the last attempt's transport error, or null
   */
  public RangeRequestException(String message, int status, int attempts, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.attempts = attempts;
  }

  /** The last attempt's HTTP status, or -1 if it got no response. */
  public int status() {
    return status;
  }

  /** The number of attempts made. */
  public int attempts() {
    return attempts;
  }
}
