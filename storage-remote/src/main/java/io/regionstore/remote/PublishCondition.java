package io.regionstore.remote;

import java.util.Objects;

/**
 * What must hold at the target for a publish to replace it ({@link
 * RangeSourceProvider#publish}): nothing, that there is no file yet, or that the file there is
 * still a given version. The last two keep two publishers from overwriting each other silently.
 * Immutable.
 */
public final class PublishCondition {
  private static final PublishCondition ANY = new PublishCondition(null, false);
  private static final PublishCondition ABSENT = new PublishCondition(null, true);

  private final String expectedVersion;
  private final boolean absent;

  private PublishCondition(String expectedVersion, boolean absent) {
    this.expectedVersion = expectedVersion;
    this.absent = absent;
  }

  /** Replace whatever is there (the default). */
  public static PublishCondition any() {
    return ANY;
  }

  /** Publish only if there is no file at the target yet (HTTP {@code If-None-Match: *}). */
  public static PublishCondition absent() {
    return ABSENT;
  }

  /**
   * Publish only if the file at the target is still {@code version}, as {@link
   * RangeSource#version()} or an earlier publish reported it (HTTP {@code If-Match}).
   */
  public static PublishCondition version(String version) {
    if (Objects.requireNonNull(version, "version").isEmpty()) {
      throw new IllegalArgumentException("empty expected version");
    }
    return new PublishCondition(version, false);
  }

  /** The version the target must have, or null. */
  public String expectedVersion() {
    return expectedVersion;
  }

  /** Whether the target must not exist yet. */
  public boolean requiresAbsent() {
    return absent;
  }

  @Override
  public String toString() {
    return absent ? "if absent" : expectedVersion == null ? "unconditional" : "if version " + expectedVersion;
  }
}
