package io.regionstore.remote;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A {@link RangeSource} on a local file, read with positional {@link FileChannel} reads straight
 * into the target segments.
 *
 * <p>Version: the file's size, modification time and file key ({@link #version()} prints them).
 * After every read the source looks at the path again; if it now names another file (replaced by
 * rename: another key), or the file changed size or modification time (rewritten in place), or
 * there is no file any more, the read throws {@link SourceChangedException}. Reads go through the
 * channel opened at open, so a file replaced by rename cannot mix into a read: its bytes are never
 * read, and the check after the read reports the replacement.
 *
 * <p>Thread-safe; concurrent reads are not limited (they are local positional reads). A thread
 * interrupted during a read gets {@link ClosedByInterruptException}, which closes a {@link
 * FileChannel} for every thread; the next read reopens the file by path, checking it is still the
 * same version. Targets must be native segments or segments over a {@code byte[]} (the JDK cannot
 * view other heap segments as a {@link ByteBuffer}).
 */
public final class FileRangeSource implements RangeSource {

  /** Largest slice handed to one channel read (ByteBuffers are int-indexed). */
  private static final long MAX_SLICE = 1L << 30;

  private final Path path;
  private final String description;
  private final FileVersion version;
  private volatile FileChannel channel;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.LongAdder reads = new java.util.concurrent.atomic.LongAdder();

  private FileRangeSource(Path path, FileVersion version, FileChannel channel) {
    this.path = path;
    this.description = path.toString();
    this.version = version;
    this.channel = channel;
  }

  /**
   * Opens the file {@code path} names now and binds the source to its current version.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws SourceChangedException if the file was replaced while it was being opened
   */
  public static FileRangeSource open(Path path) throws IOException {
    Path p = path.toAbsolutePath();
    FileVersion before = FileVersion.of(p);
    return new FileRangeSource(p, before, openChannel(p, before));
  }

  /** Opens {@code path} and checks that the channel reads the file of {@code expected}. */
  private static FileChannel openChannel(Path path, FileVersion expected) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      FileVersion now = FileVersion.of(path);
      // The path is looked at before and after the open: the same version both times means the
      // channel holds that file (barring a swap and swap back in between).
      if (!now.equals(expected) || ch.size() != expected.size()) {
        throw new SourceChangedException(path.toString(), expected.toString(), now.toString());
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public long length() {
    return version.size();
  }

  @Override
  public String version() {
    return version.toString();
  }

  @Override
  public void read(long position, List<MemorySegment> targets) throws IOException {
    reads.increment();
    Targets.checkedLength(description, length(), position, targets);
    long filePos = position;
    for (MemorySegment target : targets) {
      for (long off = 0; off < target.byteSize(); off += MAX_SLICE) {
        ByteBuffer buf = target.asSlice(off, Math.min(MAX_SLICE, target.byteSize() - off)).asByteBuffer();
        readFully(buf, filePos + off);
      }
      filePos += target.byteSize();
    }
    checkVersion();
  }

  private void readFully(ByteBuffer buf, long filePos) throws IOException {
    int start = buf.position();
    while (buf.hasRemaining()) {
      int n;
      try {
        n = channel().read(buf, filePos + buf.position() - start);
      } catch (ClosedByInterruptException e) {
        throw e;
      } catch (ClosedChannelException e) {
        if (closed) {
          throw e;
        }
        // Closed by another thread's interrupt: reopen and go on.
        reopen();
        continue;
      }
      if (n < 0) {
        checkVersion();
        throw new EOFException(
            description + ": file ends before byte " + (filePos + buf.position() - start) + " though its version is unchanged");
      }
    }
  }

  private FileChannel channel() throws ClosedChannelException {
    if (closed) {
      throw new ClosedChannelException();
    }
    return channel;
  }

  private synchronized void reopen() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (!channel.isOpen()) {
      channel = openChannel(path, version);
    }
  }

  private void checkVersion() throws IOException {
    FileVersion now;
    try {
      now = FileVersion.of(path);
    } catch (NoSuchFileException e) {
      SourceChangedException changed = new SourceChangedException(description, version(), null);
      changed.initCause(e);
      throw changed;
    }
    if (!now.equals(version)) {
      throw new SourceChangedException(description, version(), now.toString());
    }
  }

  /** Closes the channel; reads after close throw {@link ClosedChannelException}. Idempotent. */
  /** Reads made so far. */
  @Override
  public long requestCount() {
    return reads.sum();
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    channel.close();
  }

  @Override
  public String toString() {
    return "FileRangeSource[" + description + ", " + version + "]";
  }
}
