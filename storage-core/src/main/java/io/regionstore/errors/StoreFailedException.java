package io.regionstore.errors;

import java.io.IOException;

/**
 * The store refuses writes because an earlier fsync failed. After a failed fsync the kernel may
 * have dropped the dirty pages, so retrying could report durability that does not exist; the only
 * safe way on is to close and reopen the store, which recovers the last durable catalog.
 */
public final class StoreFailedException extends IOException {
  /**
   * @param message names the store and the operation refused
   * @param cause the failure of the fsync
   */
  public StoreFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
