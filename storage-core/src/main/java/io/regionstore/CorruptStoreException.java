package io.regionstore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A store file holds bytes that fail a check: a bad magic number, version, checksum, length or
 * reference. The message names the file and the byte offset of the first bad field.
 */
public final class CorruptStoreException extends IOException {
  private final Path file;
  private final long offset;

  /**
   * @param file the file with the bad bytes
   * @param offset the offset of the first bad field, or -1 when it concerns the whole file
   * @param problem what is wrong
   */
  public CorruptStoreException(Path file, long offset, String problem) {
    super(problem + " (file " + file + (offset >= 0 ? ", offset " + offset : "") + ")");
    this.file = file;
    this.offset = offset;
  }

  /**
   * @param message the whole message, e.g. a summary of several files' problems
   * @param file the main file concerned
   */
  public CorruptStoreException(String message, Path file) {
    super(message);
    this.file = file;
    this.offset = -1;
  }

  /** The file with the bad bytes. */
  public Path file() {
    return file;
  }

  /** The offset of the first bad field, or -1 when the problem concerns the whole file. */
  public long offset() {
    return offset;
  }
}
