package io.regionstore.errors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A store file holds bytes that fail a check: a bad magic number, version, checksum, length or
 * reference. The message names the source (a file, or for a packed store read over HTTP its URL)
 * and the byte offset of the first bad field.
 */
public final class CorruptStoreException extends IOException {
  private final Path file;
  private final String source;
  private final long offset;
  private final String problem;

  /**
   * @param file the file with the bad bytes
   * @param offset the offset of the first bad field, or -1 when it concerns the whole file
   * @param problem what is wrong
   */
  public CorruptStoreException(Path file, long offset, String problem) {
    super(problem + " (file " + file + (offset >= 0 ? ", offset " + offset : "") + ")");
    this.file = file;
    this.source = String.valueOf(file);
    this.offset = offset;
    this.problem = problem;
  }

  /**
   * For bytes that do not come from a local file, e.g. a packed store read over HTTP: {@link
   * #file()} is then null.
   *
   * @param source where the bytes come from, safe to print (a URL without its query string)
   * @param offset the offset of the first bad field, or -1 when it concerns the whole source
   * @param problem what is wrong
   */
  public CorruptStoreException(String source, long offset, String problem) {
    super(problem + " (source " + source + (offset >= 0 ? ", offset " + offset : "") + ")");
    this.file = null;
    this.source = source;
    this.offset = offset;
    this.problem = problem;
  }

  /**
   * @param message the whole message, e.g. a summary of several files' problems
   * @param file the main file concerned
   */
  public CorruptStoreException(String message, Path file) {
    super(message);
    this.file = file;
    this.source = String.valueOf(file);
    this.offset = -1;
    this.problem = message;
  }

  /** The file with the bad bytes, or null when they do not come from a local file ({@link #source()}). */
  public Path file() {
    return file;
  }

  /** Where the bad bytes come from: the file's path, or the description of a remote source. */
  public String source() {
    return source;
  }

  /** The offset of the first bad field, or -1 when the problem concerns the whole file. */
  public long offset() {
    return offset;
  }

  /** What is wrong, without the source and offset the message adds. */
  public String problem() {
    return problem;
  }
}
