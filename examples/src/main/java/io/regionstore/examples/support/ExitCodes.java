package io.regionstore.examples.support;

/** The exit codes of the examples and of the {@code regionstore} tool. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** {@code verify} found problems; each is listed on standard output. */
  public static final int PROBLEMS = 1;

  /** Usage error: see {@link UsageException}. */
  public static final int USAGE = 2;

  /** The store is missing, corrupt or locked by a writer, or an I/O error happened. */
  public static final int FAILURE = 3;

  /** The exit-code section of every program's {@code --help}. */
  public static final String HELP =
      """
      Exit codes:
        0  success
        1  problems found (verify lists each one)
        2  usage error: unknown command or option, missing or extra argument, bad number,
           or a target that is not empty
        3  the store is missing, corrupt or locked by a writer, or an I/O error
      """;

  private ExitCodes() {}
}
