package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders for benchmark indexes. */
final class Folders {
  private Folders() {}

  static Path create(String prefix) throws IOException {
    return Files.createTempDirectory(prefix);
  }

  static void delete(Path folder) throws IOException {
    if (folder == null || !Files.exists(folder)) {
      return;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
