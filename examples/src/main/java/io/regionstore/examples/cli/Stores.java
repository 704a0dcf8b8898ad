package io.regionstore.examples.cli;

import io.regionstore.RegionStore;
import io.regionstore.StoreLockedException;
import io.regionstore.examples.support.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** How the subcommands open stores and check targets. Stateless. */
final class Stores {
  private Stores() {}

  /**
   * Checks that {@code path} holds a store that opens: a read-only open, which never creates
   * anything (opening for writing would create a missing store).
   *
   * @throws NoSuchFileException if there is no store
   * @throws io.regionstore.CorruptStoreException if it does not open
   */
  static void requireStore(Path path) throws IOException {
    try (RegionStore probe = RegionStore.openReadOnly(path)) {
      probe.generation(); // opened: its catalog passed every check
    }
  }

  /**
   * Opens an existing store for writing.
   *
   * @throws NoSuchFileException if there is no store
   * @throws io.regionstore.StoreLockedException if a writer (another process) has it open
   */
  static RegionStore openExisting(Path path) throws IOException {
    requireStore(path);
    return RegionStore.open(path);
  }

  /**
   * Opens an existing store for writing or, if a writer (another process) has it open, read-only
   * at its last durable generation; then {@code whenLocked} gets the reason.
   *
   * @throws NoSuchFileException if there is no store
   */
  static RegionStore openWritableOrReadOnly(Path path, Consumer<String> whenLocked)
      throws IOException {
    try {
      return openExisting(path);
    } catch (StoreLockedException e) {
      RegionStore store = RegionStore.openReadOnly(path);
      whenLocked.accept(e.getMessage());
      return store;
    }
  }

  /**
   * Whether {@code path} is missing or an empty folder.
   *
   * @throws UsageException if it exists and is not a folder
   */
  static boolean isMissingOrEmptyFolder(Path path) throws IOException, UsageException {
    if (!Files.exists(path)) {
      return true;
    }
    if (!Files.isDirectory(path)) {
      throw new UsageException(path + " is not a folder");
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isEmpty();
    }
  }
}
