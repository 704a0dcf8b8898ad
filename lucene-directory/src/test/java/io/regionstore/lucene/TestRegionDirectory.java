package io.regionstore.lucene;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSLockFactory;
import org.apache.lucene.tests.store.BaseDirectoryTestCase;

/**
 * Lucene's directory conformance suite on {@link RegionDirectory}, with a random configuration per
 * directory. The two suite tests that only run on an {@code FSDirectory} are replaced by {@link
 * FsOnlySuiteTests}.
 */
public class TestRegionDirectory extends BaseDirectoryTestCase {
  @Override
  protected Directory getDirectory(Path path) throws IOException {
    return new RegionDirectory(
        path, FSLockFactory.getDefault(), RegionTestUtil.randomConfig(random()));
  }

  /** Replaced: the suite's version deletes files behind an FSDirectory's back. */
  @Override
  public void testFsyncDoesntCreateNewFiles() throws Exception {
    Path path = createTempDir("nocreate");
    try (Directory dir = getDirectory(path)) {
      FsOnlySuiteTests.syncOfMissingFileCreatesNothing(dir, path);
    }
  }

  /** Replaced: the suite's version needs an FSDirectory whose deletes can pend. */
  @Override
  public void testPendingDeletions() throws IOException {
    try (Directory dir = getDirectory(addVirusChecker(createTempDir()))) {
      FsOnlySuiteTests.deletesNeverPend(dir);
    }
  }
}
