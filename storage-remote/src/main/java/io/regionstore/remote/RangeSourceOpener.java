package io.regionstore.remote;

import java.io.IOException;

/**
 * Opens a {@link RangeSource} on the file as it is now: what a {@link RemoteStore} calls to look
 * for a new version ({@link RemoteStore#refresh()}). Each call returns a new source bound to the
 * version it saw, owned by the caller.
 */
@FunctionalInterface
public interface RangeSourceOpener {
  /**
   * Opens the source (for HTTP, its probe request).
   *
   * @throws IOException if the file cannot be reached
   */
  RangeSource open() throws IOException;
}
