package io.regionstore.remote;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Positional, read-only access to the bytes of one immutable file that may live elsewhere: a local
 * file, or a URL served over HTTP(S) with {@code Range} requests.
 *
 * <p>A source is bound to the <em>version</em> of the file it saw when it was opened (an HTTP
 * {@code ETag}, else {@code Last-Modified}; for a local file its size, modification time and file
 * key). Every read checks that the file is still that version; if it is not, the read fails with
 * {@link SourceChangedException} and never returns a byte of the other version.
 *
 * <p>Reads are exact: a read fills every target completely from consecutive bytes of the file, or
 * throws. A source never buffers more than the read asked for.
 *
 * <p>Thread-safe: any number of threads may read concurrently; implementations bound the number of
 * requests in flight themselves.
 */
public interface RangeSource extends AutoCloseable {

  /**
   * Where the bytes come from, safe to print and log: a path, or a URL without its query string
   * (presigned URLs carry credentials there).
   */
  String description();

  /** The file's length in bytes, as seen at open. */
  long length();

  /** The version of the file seen at open, as an opaque, printable string. */
  String version();

  /**
   * Fills {@code targets} in order with the bytes starting at {@code position}: the first target
   * gets bytes {@code [position, position + t0.byteSize())}, the next one the bytes after those,
   * and so on (one request for the whole run: a scatter read).
   *
   * @throws java.io.EOFException if the run reaches past {@link #length()}
   * @throws SourceChangedException if the file is no longer the version seen at open
   * @throws IOException if the bytes cannot be read (after the source's own retries)
   */
  void read(long position, List<MemorySegment> targets) throws IOException;

  /** Fills {@code target} with the bytes starting at {@code position}; see {@link #read(long, List)}. */
  default void read(long position, MemorySegment target) throws IOException {
    read(position, List.of(target));
  }

  /**
   * Requests made so far: every attempt sent to a server (the one that opened the source and
   * retries included), or every read of a local file. What a store's statistics report as its
   * requests.
   */
  long requestCount();

  /** Releases the source's resources (connections, file handles). Reads after close throw. */
  @Override
  void close() throws IOException;
}
