package io.regionstore.pack;

import io.regionstore.errors.CorruptStoreException;
import java.nio.file.Path;

/**
 * Where the bytes being parsed come from, so that every problem names it: a local file (then
 * {@link CorruptStoreException#file()} is set) or a remote source's description.
 */
record Origin(Path file, String description) {
  static Origin of(Path file) {
    return new Origin(file, file.toString());
  }

  static Origin of(String description) {
    return new Origin(null, description);
  }

  CorruptStoreException corrupt(long offset, String problem) {
    return file != null
        ? new CorruptStoreException(file, offset, problem)
        : new CorruptStoreException(description, offset, problem);
  }

  /** The same problem, named after this origin (checks shared with local stores name no origin). */
  CorruptStoreException renamed(CorruptStoreException e) {
    return corrupt(e.offset(), e.problem());
  }
}
