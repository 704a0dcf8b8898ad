package io.regionstore;

import io.regionstore.pack.PackLayout;
import io.regionstore.pack.PackOptions;
import io.regionstore.pack.PackedFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packs the generation a read-only (or packed) store has loaded: a reader per region keeps the
 * bytes pinned (in the reader table, against the writer's reuse) while {@link PackedFileWriter}
 * copies them.
 */
final class StorePacker {
  private StorePacker() {}

  static PackLayout pack(RegionStore store, Path target, PackOptions options) throws IOException {
    Map.Entry<Long, Map<String, Region>> loaded = store.loadedNamespace();
    List<RegionReader> readers = new ArrayList<>(loaded.getValue().size());
    try {
      List<PackedFileWriter.Input> inputs = new ArrayList<>(loaded.getValue().size());
      for (Map.Entry<String, Region> e : loaded.getValue().entrySet()) {
        RegionReader reader = store.openReaderOn(e.getKey(), e.getValue());
        readers.add(reader);
        inputs.add(new PackedFileWriter.Input(e.getKey(), reader.length(), e.getValue().crc, reader::read));
      }
      return PackedFileWriter.write(
          target, store.options().channelOpener(), store.directory().toString(), loaded.getKey(), inputs, options);
    } finally {
      for (RegionReader r : readers) {
        r.close();
      }
    }
  }
}
