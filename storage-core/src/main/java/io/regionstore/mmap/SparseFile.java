package io.regionstore.mmap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * Holes in a file: gives ranges back to the file system with {@code fallocate(FALLOC_FL_PUNCH_HOLE
 * | FALLOC_FL_KEEP_SIZE)} (the file keeps its size; the ranges read as zeros and take no disk
 * space) and counts the bytes a file allocates on disk ({@code st_blocks * 512}, what {@code du}
 * shows), through FFM downcalls.
 *
 * <p>Available on Linux (x86-64 and AArch64) when native access is enabled for this code ({@code
 * --enable-native-access}) and the file is on the default file system; elsewhere {@link
 * #punchHoles} does nothing and says so, and {@link #allocatedBytes} returns -1. A JDK {@code
 * FileChannel} does not expose its descriptor, so both calls work on the path: {@link #punchHoles}
 * opens the file for writing, punches every range and closes it.
 *
 * <p>Stateless; thread-safe.
 */
public final class SparseFile {
  private static final int FALLOC_FL_KEEP_SIZE = 0x01;
  private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
  private static final int O_WRONLY = 0x01;
  private static final int O_CLOEXEC = 0x80000;
  private static final int AT_FDCWD = -100;
  private static final int STATX_BLOCKS = 0x400;
  private static final int STATX_SIZE = 256;
  private static final long STX_MASK = 0;
  private static final long STX_BLOCKS = 48;
  private static final int EINTR = 4;
  private static final int ENOSYS = 38;
  private static final int EOPNOTSUPP = 95;

  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
  private static final boolean LINUX = NativeCalls.isLinux64();
  private static final MethodHandle OPEN =
      LINUX
          ? NativeCalls.find(
              "open",
              FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
              Linker.Option.firstVariadicArg(2),
              ERRNO_OPTION)
          : null;
  private static final MethodHandle FALLOCATE =
      LINUX
          ? NativeCalls.find(
              "fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO_OPTION)
          : null;
  private static final MethodHandle CLOSE =
      LINUX ? NativeCalls.find("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)) : null;
  private static final MethodHandle STATX =
      LINUX
          ? NativeCalls.find(
              "statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS))
          : null;

  private SparseFile() {}

  /** Whether {@link #punchHoles} can reach the file system for {@code file}. */
  public static boolean canPunch(Path file) {
    return OPEN != null && FALLOCATE != null && CLOSE != null && isDefaultFileSystem(file);
  }

  /**
   * Punches a hole in each range: afterwards it reads as zeros and takes no disk space; the file
   * size does not change.
   *
   * @param ranges offset and length pairs, each inside the file
   * @return false, having punched nothing, where punching is not available (see the class
   *     documentation) or the file system refuses it ({@code EOPNOTSUPP}); true once every range is
   *     punched
   * @throws IOException naming the file, range and errno if the file cannot be opened or a punch
   *     fails otherwise (some ranges may then be punched already)
   */
  public static boolean punchHoles(Path file, long[] ranges) throws IOException {
    if (!canPunch(file)) {
      return false;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      MemorySegment name = arena.allocateFrom(file.toAbsolutePath().toString());
      int fd = (int) OPEN.invokeExact(state, name, O_WRONLY | O_CLOEXEC, 0);
      if (fd < 0) {
        throw new IOException("cannot open " + file + " to punch holes: errno " + errno(state));
      }
      try {
        for (int i = 0; i < ranges.length; i += 2) {
          int result;
          do {
            result =
                (int) FALLOCATE.invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, ranges[i], ranges[i + 1]);
          } while (result != 0 && errno(state) == EINTR);
          if (result != 0) {
            int errno = errno(state);
            if (errno == EOPNOTSUPP || errno == ENOSYS) {
              return false;
            }
            throw new IOException(
                "punching a hole at [" + ranges[i] + ", " + (ranges[i] + ranges[i + 1]) + ") of "
                    + file + " failed: errno " + errno);
          }
        }
        return true;
      } finally {
        int ignored = (int) CLOSE.invokeExact(fd);
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("punching holes in " + file + " failed", t);
    }
  }

  /**
   * The bytes {@code file} occupies on disk ({@code st_blocks * 512}, as {@code du} counts), or -1
   * where that cannot be asked (see the class documentation) or the call fails.
   */
  public static long allocatedBytes(Path file) {
    if (STATX == null || !isDefaultFileSystem(file)) {
      return -1;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
      MemorySegment name = arena.allocateFrom(file.toAbsolutePath().toString());
      int result = (int) STATX.invokeExact(AT_FDCWD, name, 0, STATX_BLOCKS, buffer);
      if (result != 0 || (buffer.get(JAVA_INT, STX_MASK) & STATX_BLOCKS) == 0) {
        return -1;
      }
      return buffer.get(JAVA_LONG, STX_BLOCKS) * 512;
    } catch (Throwable t) {
      return -1;
    }
  }

  private static boolean isDefaultFileSystem(Path file) {
    return file.getFileSystem() == FileSystems.getDefault();
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }
}
