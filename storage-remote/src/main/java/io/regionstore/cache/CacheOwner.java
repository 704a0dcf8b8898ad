package io.regionstore.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Who holds a cache folder: the process that has the cache file locked writes its id, start time
 * and command into {@code regionstore.cache.owner} right after taking the lock, and removes it at
 * close (still locked). A refused opener reads it to name the holder.
 *
 * <p>The file is only a description, never a lock: the OS lock on the cache file decides. It may be
 * stale (left by a process killed with the lock, which the OS released) or missing (the holder is
 * between locking and writing it), so {@link #describe} says what it read, or that it read nothing.
 *
 * <p>Thread-safe (stateless).
 */
final class CacheOwner {
  /** The owner file's name inside the cache folder. */
  static final String FILE_NAME = "regionstore.cache.owner";
  private static final int MAX_LENGTH = 512;

  private CacheOwner() {}

  /** Writes this process's description into the folder's owner file. */
  static void record(Path folder) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    ProcessHandle.Info info = self.info();
    String text =
        "process "
            + self.pid()
            + info.startInstant().map(Instant::toString).map(s -> ", started " + s).orElse("")
            + info.command().map(c -> ", " + c).orElse("");
    Files.writeString(folder.resolve(FILE_NAME), text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text);
  }

  /**
   * The holder as its owner file describes it, e.g. {@code held by process 4242, started
   * 2026-11-30T13:40:00Z, /usr/bin/java}, or {@code holder unknown: ...} if it cannot be read.
   */
  static String describe(Path folder) {
    try {
      byte[] bytes = Files.readAllBytes(folder.resolve(FILE_NAME));
      String text = new String(bytes, 0, Math.min(bytes.length, MAX_LENGTH), StandardCharsets.UTF_8).strip();
      if (!text.startsWith("process ")) {
        return "holder unknown: " + FILE_NAME + " does not name it";
      }
      boolean self = text.startsWith("process " + ProcessHandle.current().pid() + ",")
          || text.equals("process " + ProcessHandle.current().pid());
      return "held by " + text + (self ? " (this process)" : "");
    } catch (NoSuchFileException e) {
      return "holder unknown: no " + FILE_NAME + " yet";
    } catch (IOException e) {
      return "holder unknown: cannot read " + FILE_NAME + " (" + e + ")";
    }
  }

  /** Removes the owner file (at close, before the lock is released). */
  static void clear(Path folder) throws IOException {
    Files.deleteIfExists(folder.resolve(FILE_NAME));
  }
}
