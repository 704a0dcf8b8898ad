package io.regionstore.mmap;

import io.regionstore.io.NativeCalls;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code madvise(MADV_WILLNEED)} through the FFM linker: asks the kernel to read pages ahead and
 * returns at once. Unlike the advice that changes how a range is paged (random, sequential), it
 * does not split the mapping into separate kernel mappings, so it is safe on the store's shared
 * chunk mappings. Available only where native access is enabled for this code ({@code
 * --enable-native-access}); elsewhere {@link #willNeed} does nothing.
 *
 * <p>Stateless; thread-safe.
 */
final class PageAdvice {
  private static final int MADV_WILLNEED = 3; // Linux and macOS
  private static final long PAGE = 4096;
  private static final MethodHandle MADVISE = lookup();

  private PageAdvice() {}

  /** Whether {@link #willNeed} can reach the kernel. */
  static boolean available() {
    return MADVISE != null;
  }

  /** Advises the kernel that the pages under {@code mapped} will be needed soon; best effort. */
  static void willNeed(MemorySegment mapped) {
    if (MADVISE == null || mapped.byteSize() == 0) {
      return;
    }
    long start = mapped.address() & -PAGE;
    long length = mapped.address() + mapped.byteSize() - start;
    try {
      int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(start), length, MADV_WILLNEED);
    } catch (Throwable t) {
      // advice only: a refusal (e.g. another page size) costs nothing but the hint
    }
  }

  private static MethodHandle lookup() {
    return NativeCalls.find(
        "madvise",
        FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
  }
}
