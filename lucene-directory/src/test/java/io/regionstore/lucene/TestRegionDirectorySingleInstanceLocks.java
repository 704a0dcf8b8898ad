package io.regionstore.lucene;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.SingleInstanceLockFactory;
import org.apache.lucene.tests.store.BaseLockFactoryTestCase;

/** Lucene's lock factory suite on a {@link RegionDirectory} locked by {@code SingleInstanceLockFactory}. */
public class TestRegionDirectorySingleInstanceLocks extends BaseLockFactoryTestCase {
  @Override
  protected Directory getDirectory(Path path) throws IOException {
    return new RegionDirectory(path, new SingleInstanceLockFactory());
  }
}
