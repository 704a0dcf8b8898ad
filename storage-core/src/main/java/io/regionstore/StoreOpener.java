package io.regionstore;

import io.regionstore.alloc.SpaceAllocator;
import io.regionstore.catalog.CatalogSlots;
import io.regionstore.io.ChannelOpener;
import io.regionstore.mmap.DataFile;
import io.regionstore.pin.ReaderTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * Creates and opens stores: the order of file creation that makes a half-created store
 * recognisable, and the checks an existing one must pass before it is used.
 */
final class StoreOpener {
  private StoreOpener() {}

  static RegionStore open(Path dir, StoreOptions options) throws IOException {
    if (Files.isRegularFile(dir)) {
      if (!options.readOnly()) {
        throw new IllegalArgumentException(
            dir + " is a file, not a store folder: a packed store file opens read-only only");
      }
      return PackedStoreOpener.open(dir, options);
    }
    return options.readOnly() ? openReadOnly(dir, options) : openWritable(dir, options);
  }

  private static RegionStore openWritable(Path dir, StoreOptions options) throws IOException {
    ChannelOpener opener = options.channelOpener();
    Files.createDirectories(dir);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      WriterLock lock = WriterLock.acquire(dir, opener);
      opened.add(lock);
      Path dataPath = dir.resolve(DataFile.FILE_NAME);
      if (!Files.exists(dataPath)) {
        create(dir, options);
      }
      DataFile data = DataFile.open(dataPath, opener, false);
      opened.add(data);
      CatalogSlots slots = new CatalogSlots(data, SpaceAllocator.ALIGNMENT);
      CatalogSlots.Loaded loaded = slots.load(); // at the real size: a cut file must show as cut
      data.roundUpToChunk();
      if (loaded.rejectedSlot() >= 0) {
        // A generation that did not fully reach the disk: never let it be chosen again, before
        // any of the space it names is reused.
        slots.invalidate(loaded.rejectedSlot());
        data.force("rejected meta page");
      }
      ReaderTable table = ReaderTable.open(dir, opener);
      opened.add(table);
      return new RegionStore(dir, options, data, slots, table, lock, null, loaded);
    } catch (IOException | RuntimeException | Error e) {
      closeAll(e, opened.reversed().toArray(new AutoCloseable[0]));
      throw e;
    }
  }

  private static RegionStore openReadOnly(Path dir, StoreOptions options) throws IOException {
    ChannelOpener opener = options.channelOpener();
    Path dataPath = dir.resolve(DataFile.FILE_NAME);
    if (!Files.exists(dataPath)) {
      throw new NoSuchFileException(dataPath.toString(), null, "no RegionStore in " + dir);
    }
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      DataFile data = DataFile.open(dataPath, opener, true);
      opened.add(data);
      CatalogSlots slots = new CatalogSlots(data, SpaceAllocator.ALIGNMENT);
      ReaderTable table = ReaderTable.open(dir, opener);
      opened.add(table);
      ReadOnlyPins pins = new ReadOnlyPins(table.claim());
      opened.add(pins);
      CatalogSlots.Loaded loaded = RegionStore.loadPinned(slots, pins);
      return new RegionStore(dir, options, data, slots, table, null, pins, loaded);
    } catch (IOException | RuntimeException | Error e) {
      closeAll(e, opened.reversed().toArray(new AutoCloseable[0]));
      throw e;
    }
  }

  /**
   * Creates a store: the data file, with its first two (empty) catalog generations, written under a
   * temporary name, fsynced and renamed into place, then the folder fsynced. A crash before the
   * rename leaves no data file, and the next open starts over. (The reader table and lock file are
   * made on open when missing; they hold nothing durable.)
   */
  private static void create(Path dir, StoreOptions options) throws IOException {
    ChannelOpener opener = options.channelOpener();
    UUID storeId = UUID.randomUUID();
    DataFile.create(
        dir.resolve(DataFile.FILE_NAME),
        opener,
        options.chunkSize(),
        storeId,
        CatalogSlots.initialWrites(storeId, SpaceAllocator.ALIGNMENT));
    fsyncDirectory(dir, opener);
  }

  private static void fsyncDirectory(Path dir, ChannelOpener opener) throws IOException {
    try (FileChannel ch = opener.open(dir, EnumSet.of(StandardOpenOption.READ))) {
      DataFile.force(ch, true, dir, "create");
    }
  }

  /**
   * Closes every resource (nulls skipped), even if some fail. With a {@code primary} failure,
   * close failures are added to it as suppressed; otherwise the first one is thrown.
   */
  static void closeAll(Throwable primary, AutoCloseable... resources) throws IOException {
    Throwable first = null;
    for (AutoCloseable c : resources) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof IOException io) {
      throw io;
    }
    if (first != null) {
      throw new IOException("closing store resources failed", first);
    }
  }
}
