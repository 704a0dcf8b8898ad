package io.regionstore.examples.cli;

import io.regionstore.examples.support.Arguments;
import java.io.PrintStream;

/** One subcommand of {@link RegionStoreCli}. Implementations are stateless and thread-safe. */
interface Subcommand {
  /** The name typed on the command line, e.g. {@code inspect}. */
  String name();

  /** The arguments after the name, e.g. {@code <store> <folder>}. */
  String synopsis();

  /** One line for the tool's command list. */
  String summary();

  /** The rest of {@code regionstore <name> --help}, after the usage line: what it does and prints. */
  String details();

  /**
   * Runs the subcommand on its parsed arguments (after its name; {@code --help} already handled).
   *
   * @return the exit code ({@link io.regionstore.examples.support.ExitCodes})
   * @throws Exception any failure; {@link io.regionstore.examples.support.Programs} reports it
   */
  int run(Arguments args, PrintStream out, PrintStream err) throws Exception;
}
