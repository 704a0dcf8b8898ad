package io.regionstore.examples.cli;

import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Programs;
import io.regionstore.examples.support.UsageException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code regionstore} command-line tool: {@code inspect}, {@code verify}, {@code compact},
 * {@code export}, {@code import} and {@code pack} on a store (the folder of a {@code RegionStore}
 * or {@code RegionDirectory}, or a packed store file). Run it with the {@code examples/regionstore} launcher script, or with {@code
 * mvn -q -pl examples validate exec:exec@cli -Dexec.args="inspect <store>"}.
 *
 * <p>Exit codes ({@link ExitCodes}): 0 success, 1 problems found by {@code verify}, 2 usage error,
 * 3 missing, corrupt or locked store, or an I/O error. Errors are one line on standard error; with
 * {@code --debug}, followed by the stack trace. Stateless and thread-safe: {@link #run} may be
 * called concurrently (on different stores).
 */
public final class RegionStoreCli {
  static final String NAME = "regionstore";

  /** The subcommands, in the order {@code --help} lists them. */
  static final List<Subcommand> COMMANDS =
      List.of(
          new InspectCommand(),
          new VerifyCommand(),
          new CompactCommand(),
          new ExportCommand(),
          new ImportCommand(),
          new PackCommand());

  private RegionStoreCli() {}

  /** Runs the tool and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the tool in this JVM.
   *
   * @return the exit code; never throws
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Programs.run(NAME, args, out, err, (o, e) -> dispatch(args, o, e));
  }

  private static int dispatch(String[] args, PrintStream out, PrintStream err) throws Exception {
    int first = 0;
    boolean help = false;
    for (; first < args.length && args[first].startsWith("-"); first++) {
      switch (args[first]) {
        case Arguments.DEBUG -> {}
        case Arguments.HELP, "-h" -> help = true;
        default -> throw new UsageException("unknown option " + args[first]);
      }
    }
    if (help) {
      out.print(usage());
      return ExitCodes.OK;
    }
    if (first == args.length) {
      err.print(usage());
      return ExitCodes.USAGE;
    }
    Subcommand command = find(args[first]);
    Arguments parsed =
        Arguments.parse(Arrays.copyOfRange(args, first + 1, args.length), Set.of(), Set.of());
    if (parsed.help()) {
      out.print(help(command));
      return ExitCodes.OK;
    }
    int arity = command.synopsis().split(" ").length;
    parsed.expectPositionals(arity, arity, command.name() + " " + command.synopsis());
    return command.run(parsed, out, err);
  }

  private static Subcommand find(String name) throws UsageException {
    for (Subcommand c : COMMANDS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new UsageException("unknown command \"" + name + "\"");
  }

  /** The text of {@code regionstore --help}. */
  static String usage() {
    StringBuilder text =
        new StringBuilder(
            """
            Usage: regionstore [--debug] <command> <args>
                   regionstore <command> --help

            Inspects, checks, compacts, copies and packs RegionStore stores. A store is a
            folder (for example a RegionDirectory's) holding regionstore.data, or a packed
            store file written by pack (read-only).

            Commands:
            """);
    for (Subcommand c : COMMANDS) {
      text.append(
          String.format(Locale.ROOT, "  %-26s %s%n", c.name() + " " + c.synopsis(), c.summary()));
    }
    return text.append(
            """

            Options:
              --debug   print the stack trace of an error
              --help    this text; after a command, that command's help

            """)
        .append(ExitCodes.HELP)
        .toString();
  }

  /** The text of {@code regionstore <command> --help}. */
  static String help(Subcommand command) {
    return "Usage: regionstore [--debug] "
        + command.name()
        + " "
        + command.synopsis()
        + "\n\n"
        + Character.toUpperCase(command.summary().charAt(0))
        + command.summary().substring(1)
        + ".\n\n"
        + command.details()
        + "\n"
        + ExitCodes.HELP;
  }
}
