package io.regionstore.remote;

import java.io.IOException;

/**
 * The file behind a {@link RangeSource} is no longer the version the source was opened on: it was
 * replaced or modified. Nothing of the new version was returned.
 */
public final class SourceChangedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String expectedVersion;
  private final String actualVersion;

  /**
   * @param description the source, safe to print ({@link RangeSource#description()})
   * @param expectedVersion the version seen at open
   * @param actualVersion the version seen now, or null if the server did not say
   */
  public SourceChangedException(String description, String expectedVersion, String actualVersion) {
    super(
        description
            + " was replaced: opened at version "
            + expectedVersion
            + ", now "
            + (actualVersion == null ? "a different version" : "version " + actualVersion));
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  /** The version seen at open. */
  public String expectedVersion() {
    return expectedVersion;
  }

  /** The version seen now, or null if unknown. */
  public String actualVersion() {
    return actualVersion;
  }
}
