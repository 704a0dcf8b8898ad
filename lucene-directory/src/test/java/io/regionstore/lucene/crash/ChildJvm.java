package io.regionstore.lucene.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Starts a main class of these tests in a second JVM and collects its output lines. */
final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args} on this JVM's java and class path. */
  static Process start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * Copies the child's output lines into {@code lines} on a daemon thread, counting down {@code
   * ready} at the first line that starts with {@code readyPrefix}.
   */
  static Thread collect(Process child, List<String> lines, CountDownLatch ready, String readyPrefix) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                  if (line.startsWith(readyPrefix)) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // the child was killed: its output ends here
              }
            },
            "child-jvm-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
