package io.regionstore.remote;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/** The built-in provider of {@code file} URIs: {@link FileRangeSource}s. Cannot publish. Thread-safe. */
public final class FileRangeSourceProvider implements RangeSourceProvider {

  /** For {@link java.util.ServiceLoader}. */
  public FileRangeSourceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public RangeSourceOpener opener(URI uri) {
    Path path = Path.of(uri);
    return () -> FileRangeSource.open(path);
  }
}
