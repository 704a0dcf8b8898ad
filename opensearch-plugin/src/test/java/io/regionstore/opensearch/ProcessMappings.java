package io.regionstore.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Counts this process's memory mappings (kernel VMAs, the unit {@code vm.max_map_count} limits)
 * from {@code /proc/self/maps}. Linux only.
 */
final class ProcessMappings {
  private static final Path MAPS = Path.of("/proc/self/maps");

  private ProcessMappings() {}

  /** Mappings whose file path contains {@code fragment} (such as {@code /indices/<uuid>/}). */
  static long ofFilesContaining(String fragment) throws IOException {
    return ofFiles(path -> path.contains(fragment));
  }

  /** Mappings whose file path passes {@code test}. */
  static long ofFiles(Predicate<String> test) throws IOException {
    try (Stream<String> lines = Files.lines(MAPS)) {
      return lines.filter(line -> test.test(path(line))).count();
    }
  }

  /** The path column of a maps line (the sixth, possibly with spaces), or "" for none. */
  static String path(String line) {
    int slash = line.indexOf('/');
    return slash < 0 ? "" : line.substring(slash);
  }
}
