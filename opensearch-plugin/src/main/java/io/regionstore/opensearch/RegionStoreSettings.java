package io.regionstore.opensearch;

import io.regionstore.lucene.RegionDirectoryConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import org.apache.lucene.store.IOContext;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.index.IndexModule;
import org.opensearch.index.IndexSettings;

/**
 * The index settings of the {@code regionstore} store type, all under {@value #PREFIX}, and how
 * they become a shard's {@link RegionDirectoryConfig}. Both are static index settings: set them
 * when the index is created (or, for {@code preload}, while it is closed).
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code index.store.regionstore.chunk_size}</td><td>{@code 1gb}</td><td>size of one
 *       mapping of a shard's data file: a power of two from {@code 64kb} to {@code 16gb}. A shard
 *       maps {@code ceil(store size / chunk size)} chunks, whatever its number of Lucene files.
 *       Used when a shard's store is created (also by peer recovery and snapshot restore, which
 *       create a new store); final after index creation.</td></tr>
 *   <tr><td>{@code index.store.regionstore.preload}</td><td>{@code index.store.preload}, itself
 *       empty by default</td><td>file extensions (such as {@code nvd}, {@code dvd}) whose files are
 *       read into the page cache when a shard opens them, or {@code *} for every file</td></tr>
 * </table>
 *
 * <p>A bad value fails index creation with an {@link IllegalArgumentException} naming the setting.
 * Immutable, thread-safe.
 */
public final class RegionStoreSettings {
  /** Prefix of every setting of this store type. */
  public static final String PREFIX = "index.store.regionstore.";

  private static final String CHUNK_SIZE_KEY = PREFIX + "chunk_size";

  /** {@code index.store.regionstore.chunk_size}, see the class comment. */
  public static final Setting<ByteSizeValue> CHUNK_SIZE =
      new Setting<>(
          CHUNK_SIZE_KEY,
          new ByteSizeValue(RegionDirectoryConfig.defaults().chunkSize()).toString(),
          s -> ByteSizeValue.parseBytesSizeValue(s, CHUNK_SIZE_KEY),
          RegionStoreSettings::validateChunkSize,
          Property.IndexScope,
          Property.Final);

  /** {@code index.store.regionstore.preload}, see the class comment. */
  public static final Setting<List<String>> PRELOAD =
      Setting.listSetting(
          PREFIX + "preload",
          IndexModule.INDEX_STORE_PRE_LOAD_SETTING,
          RegionStoreSettings::parseExtension,
          Property.IndexScope);

  /** Every setting above, as the plugin registers them. */
  static final List<Setting<?>> ALL = List.of(CHUNK_SIZE, PRELOAD);

  private RegionStoreSettings() {}

  /** The directory options of a shard of an index with these settings. */
  static RegionDirectoryConfig config(IndexSettings indexSettings) {
    return RegionDirectoryConfig.builder()
        .chunkSize(indexSettings.getValue(CHUNK_SIZE).getBytes())
        .preload(preload(Set.copyOf(indexSettings.getValue(PRELOAD))))
        .build();
  }

  /** Files whose extension is in {@code extensions}, or every file if it holds {@code *}. */
  static BiPredicate<String, IOContext> preload(Set<String> extensions) {
    if (extensions.isEmpty()) {
      return (name, context) -> false;
    }
    if (extensions.contains("*")) {
      return (name, context) -> true;
    }
    return (name, context) -> {
      int dot = name.lastIndexOf('.');
      return dot >= 0 && extensions.contains(name.substring(dot + 1));
    };
  }

  /**
   * Checks a chunk size with {@link RegionDirectoryConfig.Builder#chunkSize}, so the plugin accepts
   * exactly what the directory accepts, and names the setting in the error.
   */
  private static void validateChunkSize(ByteSizeValue value) {
    try {
      RegionDirectoryConfig.builder().chunkSize(value.getBytes());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid " + CHUNK_SIZE_KEY + " [" + value + "]: " + e.getMessage(), e);
    }
  }

  /** A preload entry: {@code *} or a file extension (letters and digits, no dot). */
  private static String parseExtension(String entry) {
    String ext = entry.trim().toLowerCase(Locale.ROOT);
    if (!ext.equals("*") && !ext.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException(
          "invalid "
              + PREFIX
              + "preload entry ["
              + entry
              + "]: expected a file extension (letters and digits, no dot) or *");
    }
    return ext;
  }
}
