package io.regionstore.errors;

import java.io.IOException;

/** A second writer tried to open a store that a writer (in any process) has open. */
public final class StoreLockedException extends IOException {
  /** @param message names the store, its lock file and what is known of the holder */
  public StoreLockedException(String message) {
    super(message);
  }
}
