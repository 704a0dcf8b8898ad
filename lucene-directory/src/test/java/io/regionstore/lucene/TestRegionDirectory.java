package io.regionstore.lucene;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSLockFactory;
import org.apache.lucene.tests.store.BaseDirectoryTestCase;

/**
 * Lucene's directory conformance suite on {@link RegionDirectory}, with a random configuration per
 * directory. The suite tests specific to {@code FSDirectory} or {@code MMapDirectory} are replaced by
 * {@link ReplacedSuiteTests}.
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
      ReplacedSuiteTests.syncOfMissingFileCreatesNothing(dir, path);
    }
  }

  /** Replaced: the suite's version needs an FSDirectory whose deletes can pend. */
  @Override
  public void testPendingDeletions() throws IOException {
    try (Directory dir = getDirectory(addVirusChecker(createTempDir()))) {
      ReplacedSuiteTests.deletesNeverPend(dir);
    }
  }

  /** Replaced: the suite expects only MMapDirectory to answer; this directory answers as it does. */
  @Override
  public void testIsLoaded() throws IOException {
    try (Directory dir = getDirectory(createTempDir())) {
      ReplacedSuiteTests.isLoadedLikeMMapDirectory(dir, 0, random());
    }
  }

  /** Replaced: the suite expects only MMapDirectory to answer; this directory answers as it does. */
  @Override
  public void testIsLoadedOnSlice() throws IOException {
    try (Directory dir = getDirectory(createTempDir())) {
      ReplacedSuiteTests.isLoadedLikeMMapDirectory(dir, 1 + random().nextInt(1024), random());
    }
  }
}
