package io.regionstore.io;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Finds C library functions for the store's FFM downcalls ({@code fallocate} here, {@code
 * madvise} and {@code mincore} in {@code mmap}), or tells that they cannot be used: native access must be enabled for this code
 * ({@code --enable-native-access}), and the function must exist on this OS.
 *
 * <p>Stateless; thread-safe.
 */
public final class NativeCalls {
  private NativeCalls() {}

  /** Whether this is Linux on a 64-bit architecture whose errno numbers this package knows. */
  public static boolean isLinux64() {
    String arch = System.getProperty("os.arch");
    return System.getProperty("os.name").equals("Linux")
        && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
  }

  /**
   * A downcall handle for {@code name}, or null if native access is not enabled for this code or
   * the C library has no such function.
   */
  public static MethodHandle find(String name, FunctionDescriptor descriptor, Linker.Option... options) {
    if (!NativeCalls.class.getModule().isNativeAccessEnabled()) {
      return null;
    }
    try {
      Linker linker = Linker.nativeLinker();
      return linker
          .defaultLookup()
          .find(name)
          .map(f -> linker.downcallHandle(f, descriptor, options))
          .orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
