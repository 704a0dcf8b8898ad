package io.regionstore.opensearch;

import io.regionstore.lucene.RegionDirectoryConfig;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import org.apache.lucene.store.IOContext;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.test.OpenSearchTestCase;

public class RegionStoreSettingsTests extends OpenSearchTestCase {
  public void testDefaults() {
    assertEquals(new ByteSizeValue(1L << 30), RegionStoreSettings.CHUNK_SIZE.get(Settings.EMPTY));
    assertEquals("1gb", RegionStoreSettings.CHUNK_SIZE.getDefaultRaw(Settings.EMPTY));
    assertEquals(List.of(), RegionStoreSettings.PRELOAD.get(Settings.EMPTY));
  }

  public void testChunkSizeWithinTheDirectorysRange() {
    for (String value : List.of("64kb", "1mb", "512mb", "16gb")) {
      long bytes = ByteSizeValue.parseBytesSizeValue(value, "test").getBytes();
      assertEquals(
          bytes,
          RegionStoreSettings.CHUNK_SIZE.get(chunkSize(value)).getBytes());
    }
  }

  public void testChunkSizeOutsideTheDirectorysRangeIsRejectedNamingTheSetting() {
    for (String value : List.of("100kb", "32kb", "32gb", "0b")) {
      long bytes = ByteSizeValue.parseBytesSizeValue(value, "test").getBytes();
      String directoryMessage =
          expectThrows(IllegalArgumentException.class, () -> RegionDirectoryConfig.builder().chunkSize(bytes))
              .getMessage();
      IllegalArgumentException e =
          expectThrows(IllegalArgumentException.class, () -> RegionStoreSettings.CHUNK_SIZE.get(chunkSize(value)));
      assertEquals(
          "invalid index.store.regionstore.chunk_size [" + value + "]: " + directoryMessage,
          e.getMessage());
    }
  }

  public void testChunkSizeThatIsNoSizeIsRejected() {
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> RegionStoreSettings.CHUNK_SIZE.get(chunkSize("lots")));
    assertTrue(e.getMessage(), e.getMessage().contains("index.store.regionstore.chunk_size"));
  }

  public void testPreloadFallsBackToIndexStorePreload() {
    Settings fallback = Settings.builder().putList("index.store.preload", "nvd", "DVD").build();
    assertEquals(List.of("nvd", "dvd"), RegionStoreSettings.PRELOAD.get(fallback));
    Settings both =
        Settings.builder().put(fallback).putList("index.store.regionstore.preload", "tim").build();
    assertEquals(List.of("tim"), RegionStoreSettings.PRELOAD.get(both));
  }

  public void testPreloadRejectsWhatIsNoExtension() {
    for (String entry : List.of(".nvd", "a.b", "", "n*")) {
      Settings settings = Settings.builder().putList("index.store.regionstore.preload", "nvd", entry).build();
      IllegalArgumentException e =
          expectThrows(IllegalArgumentException.class, () -> RegionStoreSettings.PRELOAD.get(settings));
      assertEquals(
          "invalid index.store.regionstore.preload entry ["
              + entry
              + "]: expected a file extension (letters and digits, no dot) or *",
          e.getMessage());
    }
  }

  public void testPreloadPredicateMatchesExtensions() {
    BiPredicate<String, IOContext> some = RegionStoreSettings.preload(Set.of("nvd", "dvd"));
    assertTrue(some.test("_0.nvd", IOContext.DEFAULT));
    assertTrue(some.test("_0_Lucene90_0.dvd", IOContext.DEFAULT));
    assertFalse(some.test("_0.nvm", IOContext.DEFAULT));
    assertFalse(some.test("segments_1", IOContext.DEFAULT));
    assertFalse(some.test("nvd", IOContext.DEFAULT));
    BiPredicate<String, IOContext> all = RegionStoreSettings.preload(Set.of("*"));
    assertTrue(all.test("segments_1", IOContext.DEFAULT));
    assertTrue(all.test("_0.tim", IOContext.DEFAULT));
    BiPredicate<String, IOContext> none = RegionStoreSettings.preload(Set.of());
    assertFalse(none.test("_0.nvd", IOContext.DEFAULT));
  }

  private static Settings chunkSize(String value) {
    return Settings.builder().put("index.store.regionstore.chunk_size", value).build();
  }
}
