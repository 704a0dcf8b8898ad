package io.regionstore.lucene;

import java.io.IOException;
import java.util.Random;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/** Shared helpers of this module's tests. */
final class RegionTestUtil {
  private RegionTestUtil() {}

  /** Whether the long variants run ({@code -Dregionstore.tests.long=true}). */
  static boolean longTests() {
    return Boolean.getBoolean("regionstore.tests.long");
  }

  /**
   * A random configuration: small chunks (many chunk crossings) or the default, small first
   * extents (more extents per file) and small or default write buffers.
   */
  static RegionDirectoryConfig randomConfig(Random random) {
    RegionDirectoryConfig.Builder b = RegionDirectoryConfig.builder();
    if (random.nextBoolean()) {
      b.chunkSize(1L << (16 + random.nextInt(5))); // 64 KiB .. 1 MiB
    }
    if (random.nextBoolean()) {
      b.firstExtentSize(4096L << random.nextInt(6));
    }
    if (random.nextBoolean()) {
      b.writeBufferSize(512 << random.nextInt(8));
    }
    if (random.nextInt(4) == 0) {
      b.maxSizeHint(0);
    }
    return b.build();
  }

  /**
   * A config whose files fragment when written concurrently: 4 KiB first extents and a 512-byte
   * write buffer, so two interleaved outputs take turns reserving space and each ends up with many
   * extents.
   */
  static RegionDirectoryConfig fragmentingConfig(long chunkSize) {
    return RegionDirectoryConfig.builder()
        .chunkSize(chunkSize)
        .firstExtentSize(4096)
        .writeBufferSize(512)
        .maxSizeHint(0)
        .build();
  }

  /**
   * Writes {@code bytes} to {@code name} while writing as many bytes to {@code decoy}, alternating
   * in small pieces, so that (with {@link #fragmentingConfig}) {@code name} has many extents.
   */
  static void writeFragmented(RegionDirectory dir, String name, String decoy, byte[] bytes)
      throws IOException {
    try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT);
        IndexOutput other = dir.createOutput(decoy, IOContext.DEFAULT)) {
      int piece = 700;
      for (int at = 0; at < bytes.length; at += piece) {
        int n = Math.min(piece, bytes.length - at);
        out.writeBytes(bytes, at, n);
        other.writeBytes(bytes, at, n);
      }
    }
  }

  /** How many extents the region of {@code name} has. */
  static int extentCount(RegionDirectory dir, String name) throws IOException {
    try (var reader = dir.store().openReader(name)) {
      return reader.extentCount();
    }
  }
}
