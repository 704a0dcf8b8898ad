package io.regionstore.remote;

import java.io.IOException;

/**
 * A conditional publish found the target not as expected ({@link PublishCondition}): another
 * publisher was first, or the version to replace is gone. Nothing was replaced.
 */
public final class PublishConflictException extends IOException {
  private static final long serialVersionUID = 1L;

  private final PublishCondition condition;

  /**
   * @param target the target, safe to print
   * @param condition the condition that failed
   * @param detail what the store said, or null
   */
  public PublishConflictException(String target, PublishCondition condition, String detail) {
    super(
        "publish to " + target + " refused: the condition \"" + condition + "\" does not hold"
            + (condition.requiresAbsent() ? " (something is there already)" : condition.expectedVersion() != null
                ? " (the file there is another version)" : "")
            + (detail == null ? "" : ": " + detail));
    this.condition = condition;
  }

  /** The condition that failed. */
  public PublishCondition condition() {
    return condition;
  }
}
