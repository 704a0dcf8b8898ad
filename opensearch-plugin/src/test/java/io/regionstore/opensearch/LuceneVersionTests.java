package io.regionstore.opensearch;

import org.opensearch.Version;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The plugin zip carries no Lucene: at run time RegionDirectory uses the Lucene OpenSearch ships.
 * This holds only while that is the Lucene the project builds and tests RegionDirectory against
 * (the root pom's {@code lucene.version}).
 */
public class LuceneVersionTests extends OpenSearchTestCase {
  public void testOpenSearchShipsTheLuceneTheProjectBuildsAgainst() {
    assertEquals(System.getProperty("regionstore.opensearch.version"), Version.CURRENT.toString());
    assertEquals(System.getProperty("regionstore.lucene.version"), Version.CURRENT.luceneVersion.toString());
    assertEquals(Version.CURRENT.luceneVersion, org.apache.lucene.util.Version.LATEST);
  }
}
