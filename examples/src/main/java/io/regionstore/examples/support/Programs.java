package io.regionstore.examples.support;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.errors.StoreLockedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;

/**
 * Runs a program's body and turns its failures into the documented exit codes ({@link ExitCodes})
 * and one-line messages: no stack trace unless {@code --debug} is among the arguments. Shared by
 * the examples and the {@code regionstore} tool so that they fail alike. Stateless and thread-safe.
 */
public final class Programs {
  /** A program's work; returns its exit code and may throw anything. */
  @FunctionalInterface
  public interface Body {
    /**
     * @return the exit code
     * @throws Exception any failure; {@link Programs#run} reports it
     */
    int run(PrintStream out, PrintStream err) throws Exception;
  }

  private Programs() {}

  /**
   * Runs {@code body}, mapping failures to exit codes: {@link UsageException} to {@link
   * ExitCodes#USAGE} (with a hint to use {@code --help}), everything else to {@link
   * ExitCodes#FAILURE}, each with one line on {@code err} that starts with {@code program}.
   *
   * @param program the program's name, for messages
   * @param args the arguments, only looked at for {@code --debug}
   */
  public static int run(String program, String[] args, PrintStream out, PrintStream err, Body body) {
    try {
      return body.run(out, err);
    } catch (UsageException e) {
      err.println(program + ": " + e.getMessage());
      err.println("Try '" + program + " --help'.");
      return ExitCodes.USAGE;
    } catch (Exception e) {
      err.println(program + ": " + describe(e));
      if (Arguments.debugRequested(args)) {
        e.printStackTrace(err);
      } else if (!(e instanceof IOException)) {
        err.println(program + ": run with --debug for the stack trace");
      }
      return ExitCodes.FAILURE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** One line saying what went wrong, naming the file where the exception names one. */
  public static String describe(Throwable e) {
    return switch (e) {
      case NoSuchFileException n when n.getReason() != null ->
          n.getReason() + " (" + n.getFile() + " does not exist)";
      case NoSuchFileException n -> "no such file: " + n.getFile();
      case CorruptStoreException c -> "corrupt store: " + c.getMessage();
      case StoreLockedException l -> l.getMessage();
      case IOException io -> "I/O error: " + io.getMessage() + " (" + io.getClass().getSimpleName() + ")";
      default -> "unexpected error: " + e;
    };
  }
}
