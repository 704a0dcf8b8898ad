package io.regionstore.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.cache.CacheOptions;
import io.regionstore.cache.SlotCache;
import io.regionstore.lucene.EuroparlIndex;
import io.regionstore.lucene.RegionDirectory;
import io.regionstore.lucene.RemoteRegionDirectory;
import io.regionstore.remote.PublishCondition;
import io.regionstore.remote.RangeSources;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Europarl index published to S3 and searched through {@code RemoteRegionDirectory.open(URI)}
 * with an {@code s3://} URI (the provider found by ServiceLoader, credentials from the SDK's
 * default chain): exactly the hits of a local open, and a new version followed by {@code
 * openIfChanged}.
 */
class S3RemoteDirectoryTest {
  private static final int DOCS = 3000;
  private static final int MORE = 300;

  @TempDir static Path shared;
  static S3Client admin;
  static String bucket;
  static URI uri;

  @TempDir Path cacheFolder;

  @BeforeAll
  static void setUp() throws IOException {
    // the default chain's first source: what a deployment would set in its environment
    System.setProperty("aws.accessKeyId", "AKIATESTKEY0000WXYZ");
    System.setProperty("aws.secretAccessKey", "test-secret-never-printed");
    admin = S3TestSupport.admin();
    bucket = S3TestSupport.bucket(admin, "lucene");
    uri =
        URI.create(
            "s3://" + bucket + "/europarl/index.pack?region=" + S3TestSupport.REGION + "&path-style=true&endpoint="
                + S3TestSupport.server().endpoint());
  }

  @AfterAll
  static void tearDown() {
    admin.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  /** Builds the first {@code docs} documents into a new index and packs it; returns the pack. */
  private static Path packedIndex(String name, int docs) throws IOException {
    Path index = shared.resolve(name);
    EuroparlIndex.build(index, docs);
    Path pack = shared.resolve(name + ".pack");
    try (RegionDirectory dir = RegionDirectory.openReadOnly(index)) {
      dir.pack(pack);
    }
    return pack;
  }

  @Test
  void searchOverS3GivesTheLocalHitsAndFollowsANewVersion() throws IOException {
    Path first = packedIndex("v1", DOCS);
    String v1 = RangeSources.publish(first, uri, PublishCondition.absent());
    try (SlotCache cache = SlotCache.open(cacheFolder, CacheOptions.defaults());
        RemoteRegionDirectory remote = RemoteRegionDirectory.open(uri, cache)) {
      DirectoryReader reader = DirectoryReader.open(remote);
      try (RegionDirectory local = RegionDirectory.openReadOnly(shared.resolve("v1"));
          DirectoryReader localReader = DirectoryReader.open(local)) {
        assertArrayEquals(local.listAll(), remote.listAll());
        assertEquals(localReader.numDocs(), reader.numDocs());
        EuroparlIndex.assertSameHits(new IndexSearcher(localReader), new IndexSearcher(reader));
      }
      assertEquals(v1, remote.stats().version());
      assertTrue(remote.stats().requests() < 60, "requests: " + remote.stats().requests());

      // a second version of the same index: more documents committed, packed again
      Path index = shared.resolve("v1");
      try (RegionDirectory dir = new RegionDirectory(index);
          IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()))) {
        java.util.List<String> lines = EuroparlIndex.lines(DOCS + MORE);
        for (int i = DOCS; i < lines.size(); i++) {
          w.addDocument(EuroparlIndex.doc(i, lines.get(i)));
        }
        w.commit();
      }
      Path second = shared.resolve("v2.pack");
      try (RegionDirectory dir = RegionDirectory.openReadOnly(index)) {
        dir.pack(second);
      }
      String v2 = RangeSources.publish(second, uri, PublishCondition.version(v1));
      remote.setLookInterval(Duration.ZERO);
      DirectoryReader newer = DirectoryReader.openIfChanged(reader);
      assertNotNull(newer, "openIfChanged sees the new version");
      reader.close();
      try (RegionDirectory local2 = RegionDirectory.openReadOnly(index);
          DirectoryReader local2Reader = DirectoryReader.open(local2)) {
        assertEquals(DOCS + MORE - 1, newer.numDocs());
        EuroparlIndex.assertSameHits(new IndexSearcher(local2Reader), new IndexSearcher(newer));
      } finally {
        newer.close();
      }
      assertEquals(v2, remote.stats().version());
    }
  }
}
