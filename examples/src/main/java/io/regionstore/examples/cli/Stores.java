package io.regionstore.examples.cli;

import io.regionstore.RegionStore;
import io.regionstore.errors.StoreLockedException;
import io.regionstore.examples.support.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** How the subcommands open stores and check targets. Stateless. */
final class Stores {
  /** Why a packed file is opened read-only. */
  static final String PACKED = "a packed file is immutable and has no free space";

  private Stores() {}

  /**
   * Checks that {@code path} holds a store that opens: a read-only open, which never creates
   * anything (opening for writing would create a missing store).
   *
   * @throws NoSuchFileException if there is no store
   * @throws io.regionstore.errors.CorruptStoreException if it does not open
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
   * @throws io.regionstore.errors.StoreLockedException if a writer (another process) has it open
   * @throws UsageException if {@code path} is a packed store file
   */
  static RegionStore openExisting(Path path) throws IOException, UsageException {
    requireStore(path);
    if (Files.isRegularFile(path)) {
      throw new UsageException(path + " is a packed store file, which is immutable");
    }
    return RegionStore.open(path);
  }

  /**
   * Opens an existing store for writing or, if a writer (another process) has it open or it is a
   * packed file, read-only at its last durable generation; then {@code whenLocked} gets the
   * reason.
   *
   * @throws NoSuchFileException if there is no store
   */
  static RegionStore openWritableOrReadOnly(Path path, Consumer<String> whenLocked)
      throws IOException, UsageException {
    if (Files.isRegularFile(path)) {
      RegionStore packed = RegionStore.openReadOnly(path);
      whenLocked.accept(PACKED);
      return packed;
    }
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
