package io.regionstore.testserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real S3 server for tests and benchmarks: Adobe S3Mock's self-contained exec jar run in a
 * child JVM, listening on 127.0.0.1 only, plain HTTP, at an ephemeral port, storing objects in a
 * temporary folder deleted at {@link #close()}. The child keeps S3Mock's Spring Boot, Tomcat and
 * logging off the caller's class path.
 *
 * <p>S3Mock does not check request signatures: any access key is accepted. Everything else a
 * range reader and a publisher use is real: HEAD, ranged GET with {@code If-Match}, PUT and
 * multipart upload with {@code If-Match} and {@code If-None-Match}, S3's XML errors.
 *
 * <p>Starting takes 10 to 40 s on a loaded 2-core machine, so tests share one server per JVM
 * ({@link #shared()}), each test class in buckets of its own. Thread-safe.
 */
public final class S3MockProcess implements AutoCloseable {

  /** The system property naming the exec jar (the build copies it into the module's target). */
  public static final String JAR_PROPERTY = "regionstore.s3mock.jar";

  private static final Pattern STARTED = Pattern.compile("Tomcat started on ports? (\\d+) \\(https\\), (\\d+) \\(http\\)");
  private static final long START_TIMEOUT_SECONDS = 180;
  private static S3MockProcess shared;

  private final Process process;
  private final Path folder;
  private final int httpPort;

  private S3MockProcess(Process process, Path folder, int httpPort) {
    this.process = process;
    this.folder = folder;
    this.httpPort = httpPort;
  }

  /**
   * The server of this JVM, started on first use from the jar {@link #JAR_PROPERTY} names, and
   * stopped when the JVM exits.
   */
  public static synchronized S3MockProcess shared() throws IOException {
    if (shared == null || !shared.process.isAlive()) {
      String jar = System.getProperty(JAR_PROPERTY);
      if (jar == null) {
        throw new IllegalStateException("system property " + JAR_PROPERTY + " must name S3Mock's exec jar");
      }
      S3MockProcess s = start(Path.of(jar));
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "s3mock-stop"));
      shared = s;
    }
    return shared;
  }

  /**
   * Starts S3Mock from {@code execJar} with the JDK running this JVM and waits until it listens.
   *
   * @throws IOException if it does not start within 180 s, naming its last output lines
   */
  public static S3MockProcess start(Path execJar) throws IOException {
    if (!Files.isRegularFile(execJar)) {
      throw new IOException("S3Mock exec jar not found: " + execJar + " (the build copies it in generate-test-resources)");
    }
    Path folder = Files.createTempDirectory("s3mock");
    Path loopback = folder.resolve("loopback.xml");
    try (InputStream in = S3MockProcess.class.getResourceAsStream("s3mock-loopback.xml")) {
      Files.copy(in, loopback);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        List.of(
            java.toString(),
            // Spring's start is JIT-bound: C1 alone starts it in about half the time.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx512m",
            "-jar",
            execJar.toString(),
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--com.adobe.testing.s3mock.http-port=0",
            "--com.adobe.testing.s3mock.store.root=" + folder.resolve("objects"),
            "--spring.main.sources=" + loopback.toUri(),
            "--spring.main.banner-mode=off");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> watch(process.getInputStream(), port, tail), "s3mock-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new S3MockProcess(process, folder, port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw stopAfter(process, folder, tail, "interrupted while S3Mock started", e);
    } catch (ExecutionException | TimeoutException e) {
      throw stopAfter(process, folder, tail, "S3Mock did not start within " + START_TIMEOUT_SECONDS + " s", e);
    }
  }

  /** Reads the child's output to its end (so it never blocks on a full pipe), finding the port. */
  private static void watch(InputStream output, CompletableFuture<Integer> port, Deque<String> tail) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!port.isDone()) {
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 30) {
              tail.removeFirst();
            }
          }
          Matcher m = STARTED.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(2)));
          }
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(new IOException("S3Mock's output ended before it listened"));
  }

  private static IOException stopAfter(Process process, Path folder, Deque<String> tail, String why, Exception cause) {
    process.destroyForcibly();
    deleteQuietly(folder);
    synchronized (tail) {
      return new IOException(why + "; its last output:\n  " + String.join("\n  ", tail), cause);
    }
  }

  /** The endpoint to give an S3 client (path-style addressing): {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** The plain HTTP port. */
  public int port() {
    return httpPort;
  }

  /** Stops the child JVM and deletes its objects. Idempotent. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteQuietly(folder);
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder; the OS cleans it eventually
    }
  }
}
