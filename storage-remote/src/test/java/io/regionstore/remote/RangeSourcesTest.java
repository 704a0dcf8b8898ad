package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider lookup by scheme: built-in providers, and the errors for schemes nobody handles. */
class RangeSourcesTest {
  @TempDir Path folder;

  @Test
  void builtInProvidersHandleFileAndHttp() throws Exception {
    assertInstanceOf(HttpRangeSourceProvider.class, RangeSources.provider(URI.create("http://127.0.0.1/x.pack")));
    assertInstanceOf(HttpRangeSourceProvider.class, RangeSources.provider(URI.create("HTTPS://127.0.0.1/x.pack")));
    Path file = Files.write(folder.resolve("f.bin"), new byte[] {1, 2, 3});
    try (RangeSource s = RangeSources.opener(file.toUri()).open()) {
      assertInstanceOf(FileRangeSource.class, s);
      assertEquals(3, s.length());
    }
  }

  @Test
  void s3WithoutItsModuleNamesTheModule() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RangeSources.opener(URI.create("s3://bucket/key.pack?region=eu-west-1")));
    assertEquals("s3:// URIs need the module storage-s3 (io.regionstore:storage-s3) on the class path: cannot open s3://bucket/key.pack", e.getMessage());
  }

  @Test
  void anUnknownSchemeListsTheSupportedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RangeSources.opener(URI.create("ftp://host/x")));
    assertEquals("unsupported scheme \"ftp\" (supported: file, http, https): ftp://host/x", e.getMessage());
  }

  @Test
  void builtInProvidersCannotPublish() {
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> RangeSources.publish(folder.resolve("p.pack"), URI.create("http://127.0.0.1/p.pack"), PublishCondition.any()));
    assertTrue(e.getMessage().startsWith("publishing to http:// URIs is not supported"), e.getMessage());
  }
}
