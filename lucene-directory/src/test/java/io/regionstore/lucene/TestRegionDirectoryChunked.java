package io.regionstore.lucene;

import io.regionstore.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSLockFactory;
import org.apache.lucene.tests.store.BaseChunkedDirectoryTestCase;

/**
 * Lucene's chunked-directory suite, with the suite's maximum chunk size mapped to the store's chunk
 * size.
 *
 * <p>The suite asks for chunks from 1 byte to 1 MiB. A store chunk is one mapping of the data
 * file, at least {@link StoreOptions#MIN_CHUNK_SIZE} (64 KiB) and a power of two: the data file
 * starts with a 4 KiB header page and extents are 64-byte aligned inside a chunk, so chunks of a
 * few bytes cannot exist. Smaller requests are rounded up to 64 KiB. Boundary crossings are still
 * exercised: files of 64 KiB or more (the suite's {@code testSeekEnd} and {@code
 * testGroupVIntMultiBlocks} write such files) cross a chunk boundary and so span several extents,
 * and to make the small files of the other tests span extents too, each directory uses 4 KiB
 * first extents and a 512-byte write buffer, so that outputs open at the same time interleave
 * their extents. The two suite tests that only run on an {@code FSDirectory} are replaced by
 * {@link ReplacedSuiteTests}. {@code TestRegionIndexInput} covers straddling reads of every width directly.
 */
public class TestRegionDirectoryChunked extends BaseChunkedDirectoryTestCase {
  @Override
  protected Directory getDirectory(Path path, int maxChunkSize) throws IOException {
    long chunk = Math.max(StoreOptions.MIN_CHUNK_SIZE, Long.highestOneBit(maxChunkSize - 1L) << 1);
    return new RegionDirectory(
        path, FSLockFactory.getDefault(), RegionTestUtil.fragmentingConfig(chunk));
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
