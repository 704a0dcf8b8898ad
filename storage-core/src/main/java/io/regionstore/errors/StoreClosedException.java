package io.regionstore.errors;

/** A store, region reader or region writer was used after it was closed. */
public final class StoreClosedException extends IllegalStateException {
  /** @param message names what was closed */
  public StoreClosedException(String message) {
    super(message);
  }

  /**
   * @param message names what was closed
   * @param cause the JDK's report, e.g. of an access to a closed memory segment
   */
  public StoreClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
