package io.regionstore;

import io.regionstore.catalog.CatalogSlots;
import io.regionstore.catalog.CatalogSnapshot;
import io.regionstore.catalog.PersistedRegion;
import io.regionstore.mmap.DataFile;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Opens a packed store file locally: its front is read and checked by the same parser a remote
 * opener uses ({@link PackedFileReader}), and the regions are read through read-only mappings of
 * the bytes that exist. No lock file, no reader table, no recovery check: the file is immutable
 * and complete by construction (its length is checked against its header).
 */
final class PackedStoreOpener {
  private PackedStoreOpener() {}

  static RegionStore open(Path file, StoreOptions options) throws IOException {
    FileChannel ch = options.channelOpener().open(file, EnumSet.of(StandardOpenOption.READ));
    try {
      PackedFront parsed = PackedFileReader.read(ch, file);
      List<PersistedRegion> regions = new ArrayList<>(parsed.regions().size());
      for (PackedRegion r : parsed.regions()) {
        regions.add(new PersistedRegion(r.name(), r.length(), r.crc32c(), r.extents()));
      }
      CatalogSnapshot catalog = new CatalogSnapshot(parsed.generation(), regions);
      DataFile data = DataFile.packed(file, ch, parsed.chunkSize(), parsed.storeId(), parsed.fileLength());
      CatalogSlots.Loaded loaded = new CatalogSlots.Loaded(catalog, null, null, null, List.of(), -1);
      return new RegionStore(file, options, data, null, null, null, null, loaded);
    } catch (IOException | RuntimeException | Error e) {
      StoreOpener.closeAll(e, ch);
      throw e;
    }
  }
}
