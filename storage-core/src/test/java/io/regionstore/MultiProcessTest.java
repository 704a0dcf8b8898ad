package io.regionstore;

import static io.regionstore.RegionStoreTest.bytes;
import static io.regionstore.RegionStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second JVM as writer (refused), as reader (sees the last durable state) and as pinning reader. */
class MultiProcessTest {
  @TempDir Path dir;
  private final StoreOptions options = StoreOptions.builder().chunkSize(1 << 16).firstExtentSize(4096).build();

  private static Process child(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StoreChild.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static List<String> run(String... args) throws Exception {
    Process p = child(args);
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish");
      List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertEquals(0, p.exitValue(), String.join("\n", lines));
      return lines.stream().filter(l -> !l.startsWith("WARNING")).toList();
    } finally {
      p.destroyForcibly();
    }
  }

  /** The child's first output line with that prefix (JVM warnings come before), or null. */
  private static String lineStarting(BufferedReader out, String prefix) throws IOException {
    String line;
    while ((line = out.readLine()) != null && !line.startsWith(prefix)) {
      // not yet
    }
    return line;
  }

  @Test
  void secondWriterProcessIsRefusedNamingTheLockAndHolder() throws Exception {
    try (RegionStore store = RegionStore.open(dir, options)) {
      List<String> out = run("write", dir.toString());
      assertEquals(1, out.size(), out.toString());
      assertTrue(out.get(0).startsWith("LOCKED "), out.get(0));
      assertTrue(out.get(0).contains("regionstore.lock"), out.get(0));
      assertTrue(out.get(0).contains("pid " + ProcessHandle.current().pid()), out.get(0));
    }
    assertEquals(List.of("OPENED"), run("write", dir.toString()));
  }

  @Test
  void readerProcessSeesTheLastDurableState() throws Exception {
    try (RegionStore store = RegionStore.open(dir, options)) {
      put(store, "a", bytes(1, 10_000));
      put(store, "b", bytes(2, 100_000));
      store.syncMetadata();
      put(store, "c", bytes(3, 100)); // not durable
      store.delete("a"); // not durable either
      List<String> out = run("read", dir.toString());
      assertEquals(
          List.of(
              "GENERATION " + store.generation(),
              "REGION a " + Arrays.hashCode(bytes(1, 10_000)),
              "REGION b " + Arrays.hashCode(bytes(2, 100_000))),
          out);
    }
  }

  @Test
  void pinsOfAReaderProcessHoldSpaceUntilItDies() throws Exception {
    byte[] a = bytes(7, 50_000);
    try (RegionStore store = RegionStore.open(dir, options)) {
      put(store, "a", a);
      store.syncMetadata();
      Process holder = child("hold", dir.toString(), "a");
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("READY 50000", lineStarting(out, "READY"));
        store.delete("a");
        for (int i = 0; i < 30; i++) {
          put(store, "n" + i, bytes(100 + i, 50_000));
          store.syncMetadata();
          store.delete("n" + i);
          store.syncMetadata();
        }
        assertTrue(store.stats().pendingFreeBytes() >= 50_000, "space of a is held for the reader");
        // the reader still reads a's bytes, untouched by 30 rounds of reuse
        OutputStream in = holder.getOutputStream();
        in.write('\n');
        in.flush();
        assertEquals("HASH " + Arrays.hashCode(a), lineStarting(out, "HASH"));
        assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, holder.exitValue());
      } finally {
        holder.destroyForcibly();
      }
      // the reader closed its slot on exit: the next allocation may reuse everything pending
      put(store, "after", new byte[10]);
      store.syncMetadata();
      store.checkSpace();
      assertTrue(store.stats().pendingFreeBytes() < 4096, "only the previous catalog body may wait");
    }
  }

  @Test
  void aKilledReaderReleasesItsPin() throws Exception {
    try (RegionStore store = RegionStore.open(dir, options)) {
      put(store, "a", bytes(8, 50_000));
      store.syncMetadata();
      Process holder = child("hold", dir.toString(), "a");
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("READY 50000", lineStarting(out, "READY"));
        store.delete("a");
        store.syncMetadata();
        store.syncMetadata();
        put(store, "x", new byte[10]);
        store.syncMetadata();
        assertTrue(store.stats().pendingFreeBytes() >= 50_000);
        assertEquals(1, store.stats().readerProcesses());
      } finally {
        holder.destroyForcibly(); // SIGKILL: no chance to clear its slot
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
      }
      assertEquals(0, store.stats().readerProcesses(), "a SIGKILLed reader pins nothing");
      put(store, "y", new byte[10]);
      store.syncMetadata();
      assertTrue(store.stats().pendingFreeBytes() < 4096, "a dead reader's pin was ignored; only the previous catalog body may wait");
      store.checkSpace();
    }
  }
}
