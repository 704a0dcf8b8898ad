package io.regionstore.cache;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reserves disk blocks for a stretch of a file, so that writes through a mapping of it never need
 * new blocks (a full disk would be a SIGBUS there).
 *
 * <p>On Linux with native access, {@code posix_fallocate}: the file system allocates the blocks
 * without writing them (glibc writes zeros itself where the file system cannot). Elsewhere, zeros
 * are written through the channel. Either way, the bytes read as zeros and the file is at least
 * {@code end} bytes long afterwards.
 *
 * <p>The native descriptor stays open until {@link #close()}: closing any descriptor of a file drops
 * the process's POSIX record locks on it, and the cache file is locked; so close this only after
 * the lock is released.
 *
 * <p>Not thread-safe: used under the slot table's lock.
 */
final class FileSpace implements AutoCloseable {
  private static final int O_WRONLY = 1;
  private static final int O_CLOEXEC = 0x80000; // Linux (x86-64 and AArch64)
  private static final int ENOSPC = 28;
  private static final int ZERO_BUFFER = 1 << 20;
  private static final MethodHandle OPEN;
  private static final MethodHandle CLOSE;
  private static final MethodHandle FALLOCATE;

  static {
    MethodHandle[] handles = lookup();
    OPEN = handles[0];
    CLOSE = handles[1];
    FALLOCATE = handles[2];
  }

  private final Path path;
  private final FileChannel channel;
  /** The native descriptor for posix_fallocate, or -1 when zeros are written instead. */
  private int fd;

  private FileSpace(Path path, FileChannel channel, int fd) {
    this.path = path;
    this.channel = channel;
    this.fd = fd;
  }

  /**
   * Space reservation for the file at {@code path}, open as {@code channel}: through its own
   * native descriptor if {@code posix_fallocate} is available, else by writing zeros.
   */
  static FileSpace open(Path path, FileChannel channel) throws IOException {
    return new FileSpace(path, channel, FALLOCATE == null ? -1 : openNative(path));
  }

  /** Whether {@code posix_fallocate} is available here. */
  static boolean nativeAvailable() {
    return FALLOCATE != null;
  }

  /** Whether this instance reserves with {@code posix_fallocate}. */
  boolean usesNative() {
    return fd >= 0;
  }

  /**
   * Makes [start, end) of the file hold allocated zero bytes; the file is then at least {@code end}
   * bytes long.
   *
   * @throws IOException if the disk has no room (or another I/O error), naming the file
   */
  void reserve(long start, long end) throws IOException {
    if (fd < 0) {
      writeZeros(channel, start, end);
      return;
    }
    int error;
    try {
      error = (int) FALLOCATE.invokeExact(fd, start, end - start);
    } catch (Throwable t) {
      throw new IllegalStateException("posix_fallocate call failed", t);
    }
    if (error != 0) {
      throw new IOException(
          "cannot reserve bytes " + start + ".." + end + " of " + path + ": posix_fallocate error " + error
              + (error == ENOSPC ? " (no space left on device)" : ""));
    }
  }

  /** Writes zeros over [start, end) through {@code channel}. */
  static void writeZeros(FileChannel channel, long start, long end) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_BUFFER, end - start));
    for (long at = start; at < end; ) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), end - at));
      at += channel.write(zeros, at);
    }
  }

  /** Closes the native descriptor (after the file's lock is released; see the class comment). */
  @Override
  public void close() {
    if (fd >= 0) {
      try {
        int ignored = (int) CLOSE.invokeExact(fd);
      } catch (Throwable t) {
        throw new IllegalStateException("close call failed", t);
      }
      fd = -1;
    }
  }

  private static int openNative(Path path) throws IOException {
    int fd;
    try (Arena arena = Arena.ofConfined()) {
      fd = (int) OPEN.invokeExact(arena.allocateFrom(path.toString()), O_WRONLY | O_CLOEXEC);
    } catch (Throwable t) {
      throw new IllegalStateException("open call failed", t);
    }
    if (fd < 0) {
      throw new IOException("cannot open " + path + " to reserve space in it");
    }
    return fd;
  }

  private static MethodHandle[] lookup() {
    MethodHandle[] none = new MethodHandle[3];
    if (!FileSpace.class.getModule().isNativeAccessEnabled()
        || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return none;
    }
    try {
      Linker linker = Linker.nativeLinker();
      var libc = linker.defaultLookup();
      MemorySegment open = libc.find("open").orElse(null);
      MemorySegment close = libc.find("close").orElse(null);
      MemorySegment fallocate = libc.find("posix_fallocate").orElse(null);
      if (open == null || close == null || fallocate == null) {
        return none;
      }
      return new MethodHandle[] {
        // open(const char *path, int flags, ...): no variadic argument without O_CREAT
        linker.downcallHandle(
            open,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2)),
        linker.downcallHandle(close, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)),
        linker.downcallHandle(
            fallocate,
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)),
      };
    } catch (RuntimeException e) {
      return none;
    }
  }
}
