package io.regionstore.examples.support;

/**
 * The command line is wrong: an unknown option, a missing or extra argument, a bad number, or a
 * target that must be empty and is not. Programs exit with {@link ExitCodes#USAGE} and print the
 * message (one line, no stack trace).
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, naming the argument */
  public UsageException(String message) {
    super(message);
  }
}
