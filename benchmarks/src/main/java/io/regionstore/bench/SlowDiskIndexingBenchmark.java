package io.regionstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;

/**
 * {@link IndexingBenchmark} on a slow disk: every fsync or fdatasync costs {@value
 * SlowDisk#DEFAULT_DELAY_MS} ms more than on this machine's disk ({@link SlowDisk}, the same
 * wrapping file system for every directory kind).
 */
public class SlowDiskIndexingBenchmark extends IndexingBenchmark {
  @Override
  protected Directory openDirectory(Path folder) throws IOException {
    return SlowDisk.open(DirectoryKind.of(dir), folder);
  }
}
