package io.regionstore.cache;

import java.io.IOException;

/**
 * The fetch of a block failed. {@link #getCause()} is the exception the {@link BlockFetcher} threw
 * (the same instance for every caller that waited for that fetch; for example a
 * {@code SourceChangedException}). The cache keeps no part of the failed blocks; a later call
 * fetches them again.
 */
public final class FetchFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  FetchFailedException(String message, Throwable cause) {
    super(message + ": " + cause, cause);
  }
}
