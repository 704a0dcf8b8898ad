package io.regionstore.examples.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: flags ({@code --debug}), options with a value ({@code --docs 500} or
 * {@code --docs=500}) and positional arguments. {@code --} ends the options; {@code -h} is {@code
 * --help}. {@code --help} and {@code --debug} are known to every program.
 *
 * <p>Hand-written rather than a library (such as picocli): the tool has five subcommands with one
 * or two positionals each, and this class is all the parsing they need.
 *
 * <p>Immutable and thread-safe once parsed.
 */
public final class Arguments {
  /** Known to every program: prints help. */
  public static final String HELP = "--help";

  /** Known to every program: stack traces of errors are printed. */
  public static final String DEBUG = "--debug";

  private final Set<String> flags;
  private final Map<String, String> values;
  private final List<String> positionals;

  private Arguments(Set<String> flags, Map<String, String> values, List<String> positionals) {
    this.flags = Set.copyOf(flags);
    this.values = Map.copyOf(values);
    this.positionals = List.copyOf(positionals);
  }

  /**
   * Parses {@code args}.
   *
   * @param knownFlags flags this program takes besides {@code --help} and {@code --debug}
   * @param knownOptions options that take a value
   * @throws UsageException on an unknown option, a repeated one, or an option without its value
   */
  public static Arguments parse(String[] args, Set<String> knownFlags, Set<String> knownOptions)
      throws UsageException {
    Set<String> flags = new HashSet<>();
    Map<String, String> values = new HashMap<>();
    List<String> positionals = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        positionals.add(arg);
      } else if (arg.equals("--")) {
        optionsEnded = true;
      } else if (arg.equals("-h") || arg.equals(HELP) || arg.equals(DEBUG) || knownFlags.contains(arg)) {
        flags.add(arg.equals("-h") ? HELP : arg);
      } else {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        if (!knownOptions.contains(name)) {
          throw new UsageException("unknown option " + name);
        }
        String value;
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new UsageException("option " + name + " needs a value");
        }
        if (values.put(name, value) != null) {
          throw new UsageException("option " + name + " given twice");
        }
      }
    }
    return new Arguments(flags, values, positionals);
  }

  /** Whether {@code --debug} appears before {@code --} in {@code args}; never throws. */
  public static boolean debugRequested(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals(DEBUG)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the flag was given. */
  public boolean flag(String name) {
    return flags.contains(name);
  }

  /** Whether {@code --help} (or {@code -h}) was given. */
  public boolean help() {
    return flag(HELP);
  }

  /**
   * The value of a numeric option, or {@code fallback} when absent.
   *
   * @throws UsageException if the value is not an integer in [{@code min}, {@code max}]
   */
  public long number(String option, long fallback, long min, long max) throws UsageException {
    String value = values.get(option);
    if (value == null) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException("option " + option + " needs a whole number, got \"" + value + "\"");
    }
    if (n < min || n > max) {
      throw new UsageException(
          "option " + option + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  /** The value of an option, or {@code fallback} when absent. */
  public String option(String option, String fallback) {
    return values.getOrDefault(option, fallback);
  }

  /**
   * Checks the number of positional arguments.
   *
   * @param synopsis the expected positionals for the message, e.g. {@code "<store> <folder>"}
   * @throws UsageException if there are fewer than {@code min} or more than {@code max}
   */
  public void expectPositionals(int min, int max, String synopsis) throws UsageException {
    int n = positionals.size();
    if (n < min) {
      throw new UsageException("missing argument: expected " + synopsis);
    }
    if (n > max) {
      throw new UsageException(
          "unexpected argument \"" + positionals.get(max) + "\": expected " + synopsis);
    }
  }

  /** Positional argument {@code index} as a path, or {@code fallback} if there are fewer. */
  public Path path(int index, Path fallback) {
    return index < positionals.size() ? Path.of(positionals.get(index)) : fallback;
  }

  /** The positional arguments, in order. */
  public List<String> positionals() {
    return positionals;
  }
}
