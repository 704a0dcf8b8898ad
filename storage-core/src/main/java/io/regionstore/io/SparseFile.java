package io.regionstore.io;

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
 * A file with holes: gives ranges back to the file system with {@code fallocate(FALLOC_FL_PUNCH_HOLE
 * | FALLOC_FL_KEEP_SIZE)} (the file keeps its size; the ranges read as zeros and take no disk
 * space) and counts the bytes it allocates on disk ({@code st_blocks * 512}, what {@code du}
 * shows), through FFM downcalls.
 *
 * <p>A JDK {@code FileChannel} does not expose its descriptor, so a punch opens the file by its
 * path. So that it can never punch another file that has taken that path since (the store's file
 * deleted or renamed, another created there), an instance remembers the identity (device and
 * inode) of the file at its path when it is made, and {@link #punchHoles} checks the descriptor it
 * opened against it before punching anything.
 *
 * <p>Available on Linux (x86-64 and AArch64) when native access is enabled for this code ({@code
 * --enable-native-access}) and the path is on the default file system; elsewhere {@link
 * #punchHoles} does nothing and says so, and {@link #allocatedBytes} returns -1.
 *
 * <p>Immutable; thread-safe.
 */
public final class SparseFile {
  private static final int FALLOC_FL_KEEP_SIZE = 0x01;
  private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
  private static final int O_WRONLY = 0x01;
  private static final int O_CLOEXEC = 0x80000;
  private static final int AT_FDCWD = -100;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int STATX_INO = 0x100;
  private static final int STATX_BLOCKS = 0x400;
  private static final int STATX_SIZE = 256;
  private static final long STX_MASK = 0;
  private static final long STX_INO = 32;
  private static final long STX_BLOCKS = 48;
  private static final long STX_DEV_MAJOR = 136;
  private static final long STX_DEV_MINOR = 140;
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

  private final Path path;
  /** {device, inode} of the file at {@code path} when this was made, or null if unknown. */
  private final long[] identity;

  private SparseFile(Path path, long[] identity) {
    this.path = path;
    this.identity = identity;
  }

  /** The file now at {@code path}: its identity is read now, and every punch checks it. */
  public static SparseFile of(Path path) {
    return new SparseFile(path, available(path) ? statx(path, STATX_INO, Stat.IDENTITY) : null);
  }

  /**
   * The same file reached through another path, e.g. the real path under a wrapping file system:
   * punches check the identity this one read.
   */
  public SparseFile at(Path other) {
    return new SparseFile(other, identity);
  }

  /** The path punches and counts go through. */
  public Path path() {
    return path;
  }

  /** Whether this JVM can punch holes at all: Linux (x86-64, AArch64) with native access. */
  public static boolean supported() {
    return OPEN != null && FALLOCATE != null && CLOSE != null && STATX != null;
  }

  /** Whether {@link #punchHoles} can reach the file system for this file. */
  public boolean canPunch() {
    return identity != null && supported() && available(path);
  }

  /**
   * Punches a hole in each range: afterwards it reads as zeros and takes no disk space; the file
   * size does not change.
   *
   * @param ranges offset and length pairs, each inside the file
   * @return false, having punched nothing, where punching is not available (see the class
   *     documentation) or the file system refuses it ({@code EOPNOTSUPP}); true once every range is
   *     punched
   * @throws IOException naming the file (and range and errno) if the file cannot be opened, is no
   *     longer the file this instance was made for (nothing is punched then), or a punch fails
   *     otherwise (some ranges may then be punched already)
   */
  public boolean punchHoles(long[] ranges) throws IOException {
    if (!canPunch()) {
      return false;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE);
      MemorySegment name = arena.allocateFrom(path.toAbsolutePath().toString());
      int fd = (int) OPEN.invokeExact(state, name, O_WRONLY | O_CLOEXEC, 0);
      if (fd < 0) {
        throw new IOException("cannot open " + path + " to punch holes: errno " + errno(state));
      }
      try {
        long[] opened = statx(fd, STATX_INO, Stat.IDENTITY);
        if (opened == null || opened[0] != identity[0] || opened[1] != identity[1]) {
          throw new IOException(
              path + " is no longer the file the store opened (it was replaced or moved): no holes punched");
        }
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
                    + path + " failed: errno " + errno);
          }
        }
        return true;
      } finally {
        int ignored = (int) CLOSE.invokeExact(fd);
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("punching holes in " + path + " failed", t);
    }
  }

  /**
   * The bytes the file at the path occupies on disk ({@code st_blocks * 512}, as {@code du}
   * counts), or -1 where that cannot be asked (see the class documentation) or the call fails.
   */
  public long allocatedBytes() {
    if (!available(path)) {
      return -1;
    }
    long[] blocks = statx(path, STATX_BLOCKS, Stat.BLOCKS);
    return blocks == null ? -1 : blocks[0] * 512;
  }

  private static boolean available(Path path) {
    return STATX != null && path.getFileSystem() == FileSystems.getDefault();
  }

  /** Which fields a statx call returns. */
  private enum Stat {
    IDENTITY,
    BLOCKS
  }

  private static long[] statx(Path path, int mask, Stat what) {
    try (Arena arena = Arena.ofConfined()) {
      return statx(AT_FDCWD, arena.allocateFrom(path.toAbsolutePath().toString()), 0, mask, what, arena);
    }
  }

  private static long[] statx(int fd, int mask, Stat what) {
    try (Arena arena = Arena.ofConfined()) {
      return statx(fd, arena.allocateFrom(""), AT_EMPTY_PATH, mask, what, arena);
    }
  }

  /** {device, inode} or {blocks}, or null if the call fails or does not return the field. */
  private static long[] statx(int dirfd, MemorySegment name, int flags, int mask, Stat what, Arena arena) {
    MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
    int result;
    try {
      result = (int) STATX.invokeExact(dirfd, name, flags, mask, buffer);
    } catch (Throwable t) {
      return null;
    }
    if (result != 0 || (buffer.get(JAVA_INT, STX_MASK) & mask) != mask) {
      return null;
    }
    return what == Stat.BLOCKS
        ? new long[] {buffer.get(JAVA_LONG, STX_BLOCKS)}
        : new long[] {
          ((long) buffer.get(JAVA_INT, STX_DEV_MAJOR) << 32) | (buffer.get(JAVA_INT, STX_DEV_MINOR) & 0xFFFFFFFFL),
          buffer.get(JAVA_LONG, STX_INO)
        };
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }
}
