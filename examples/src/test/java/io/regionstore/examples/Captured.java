package io.regionstore.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a program run in this JVM returned and printed.
 *
 * @param exit the exit code
 * @param out standard output
 * @param err standard error
 */
public record Captured(int exit, String out, String err) {
  /** A program's {@code run(args, out, err)} method. */
  @FunctionalInterface
  public interface Program {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /** Runs {@code program} with {@code args}, capturing both streams. */
  public static Captured run(Program program, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = program.run(args, o, e);
    }
    return new Captured(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Standard output's lines. */
  public List<String> outLines() {
    return out.lines().toList();
  }

  /** Standard error's lines. */
  public List<String> errLines() {
    return err.lines().toList();
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
  }
}
