package io.regionstore.s3;

import io.regionstore.RegionStore;
import io.regionstore.RegionWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Packed stores made for tests: named regions of given bytes. */
final class TestPacks {
  private TestPacks() {}

  /** Packs a new store holding {@code regions} into {@code folder/name}; returns the pack's path. */
  static Path pack(Path folder, String name, Map<String, byte[]> regions) throws IOException {
    Path store = folder.resolve(name + ".store");
    try (RegionStore s = RegionStore.open(store)) {
      for (Map.Entry<String, byte[]> e : regions.entrySet()) {
        try (RegionWriter w = s.create(e.getKey())) {
          w.write(e.getValue(), 0, e.getValue().length);
        }
      }
      s.syncMetadata();
      Path pack = folder.resolve(name);
      s.pack(pack);
      return pack;
    }
  }

  static byte[] random(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }
}
