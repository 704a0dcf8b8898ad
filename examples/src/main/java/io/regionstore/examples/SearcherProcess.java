package io.regionstore.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReadOnlySearcher} child process on the same java binary and class path as this one.
 * Every line it prints is echoed to {@code echo}; {@link #ask} waits, up to a deadline, for its next
 * answer. {@link #close} always kills it. Not thread-safe: one thread talks to it.
 */
final class SearcherProcess implements AutoCloseable {
  /** Bound on waiting for the child to exit after {@code quit}. */
  private static final long EXIT_WAIT_SECONDS = 30;
  private static final String EOF = new String("end of output"); // identity marker

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final PrintStream echo;

  private SearcherProcess(Process process, PrintStream echo) {
    this.process = process;
    this.echo = echo;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread pump = new Thread(this::pump, "searcher-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts the searcher on {@code folder}: the java binary running this JVM ({@code
   * ProcessHandle.current().info().command()}), this JVM's class path, the native-access flag
   * the store needs and the Vector API module Lucene asks for. Its standard error is merged into its
   * output.
   */
  static SearcherProcess start(Path folder, PrintStream echo) throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IOException("cannot tell which java binary runs this process"));
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("--add-modules=jdk.incubator.vector");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ReadOnlySearcher.class.getName());
    command.add(folder.toAbsolutePath().toString());
    return new SearcherProcess(
        new ProcessBuilder(command).redirectErrorStream(true).start(), echo);
  }

  /** The child's pid, for messages. */
  long pid() {
    return process.pid();
  }

  /**
   * Sends {@code command} (null: none, just wait for the next answer) and returns the next line
   * starting with {@link ReadOnlySearcher#PREFIX}, without the prefix.
   *
   * @throws IOException if the child exits first or does not answer before {@code deadline} ({@link
   *     System#nanoTime()})
   */
  String ask(String command, long deadline) throws IOException, InterruptedException {
    if (command != null) {
      commands.write(command + "\n");
      commands.flush();
    }
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IOException("searcher process " + process.pid() + " did not answer in time");
      }
      if (line == EOF) {
        throw new IOException(
            "searcher process " + process.pid() + " ended without answering, exit code " + process.waitFor());
      }
      if (line.startsWith(ReadOnlySearcher.PREFIX)) {
        return line.substring(ReadOnlySearcher.PREFIX.length());
      }
    }
  }

  /**
   * Sends {@code quit} and waits for the child to exit.
   *
   * @return its exit code
   * @throws IOException if it does not exit in time
   */
  int quit() throws IOException, InterruptedException {
    commands.write(ReadOnlySearcher.QUIT + "\n");
    commands.flush();
    if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new IOException("searcher process " + process.pid() + " did not exit after quit");
    }
    return process.exitValue();
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        echo.println(line);
        lines.add(line);
      }
    } catch (IOException e) {
      echo.println("(reading the searcher's output failed: " + e.getMessage() + ")");
    } finally {
      lines.add(EOF);
    }
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    process.destroyForcibly();
  }
}
