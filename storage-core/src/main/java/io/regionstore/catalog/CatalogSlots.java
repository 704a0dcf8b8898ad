package io.regionstore.catalog;

import io.regionstore.ChannelOpener;
import io.regionstore.CorruptStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * The catalog on disk: two slot files written alternately, as LMDB's two meta pages. Generation
 * {@code g} goes to slot {@code g % 2}, overwriting generation {@code g - 2}; the newest slot that
 * passes every check wins at open.
 *
 * <p>A write that is torn by a crash damages only the slot being written, which held the older
 * generation: the other slot still holds the newest durable one. Because the store reuses space
 * only once <em>both</em> slots leave it out, falling back to either slot never reads reused
 * bytes.
 *
 * <p>Thread-safety: {@link #write} and {@link #force} are called by one committer at a time (the
 * store's group commit); {@link #load} and {@link #newestGeneration} may run concurrently with
 * them, and see a torn slot as invalid.
 */
public final class CatalogSlots implements AutoCloseable {
  /** The slot file names inside the store folder. */
  public static final List<String> FILE_NAMES =
      List.of("regionstore.catalog-0", "regionstore.catalog-1");

  /**
   * What {@link #load} found.
   *
   * @param newest the newest valid generation
   * @param older the other slot's generation, or null if that slot is invalid
   * @param problems why a slot was rejected (empty when both are valid)
   */
  public record Loaded(
      CatalogSnapshot newest, CatalogSnapshot older, List<CorruptStoreException> problems) {}

  private final Path[] paths = new Path[2];
  private final FileChannel[] channels = new FileChannel[2];
  private final UUID storeId;
  private final long chunkSize;
  private final long dataStart;
  private final long alignment;

  private CatalogSlots(UUID storeId, long chunkSize, long dataStart, long alignment) {
    this.storeId = storeId;
    this.chunkSize = chunkSize;
    this.dataStart = dataStart;
    this.alignment = alignment;
  }

  /**
   * Writes both slots of a new, empty store: generation 0 and 1. The caller fsyncs the folder.
   */
  public static void create(Path dir, ChannelOpener opener, UUID storeId) throws IOException {
    for (int slot = 0; slot < 2; slot++) {
      try (FileChannel ch =
          opener.open(
              dir.resolve(FILE_NAMES.get(slot)),
              EnumSet.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE))) {
        ByteBuffer bytes = CatalogCodec.encode(new CatalogSnapshot(slot, List.of()), storeId);
        while (bytes.hasRemaining()) {
          ch.write(bytes, bytes.position());
        }
        ch.force(true);
      }
    }
  }

  /**
   * Opens both slot files.
   *
   * @throws CorruptStoreException if a slot file is missing
   */
  public static CatalogSlots open(
      Path dir,
      ChannelOpener opener,
      boolean readOnly,
      UUID storeId,
      long chunkSize,
      long dataStart,
      long alignment)
      throws IOException {
    CatalogSlots slots = new CatalogSlots(storeId, chunkSize, dataStart, alignment);
    try {
      for (int i = 0; i < 2; i++) {
        slots.paths[i] = dir.resolve(FILE_NAMES.get(i));
        try {
          slots.channels[i] =
              opener.open(
                  slots.paths[i],
                  readOnly
                      ? EnumSet.of(StandardOpenOption.READ)
                      : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (NoSuchFileException e) {
          throw new CorruptStoreException(slots.paths[i], -1, "catalog slot file is missing");
        }
      }
      return slots;
    } catch (IOException | RuntimeException e) {
      slots.close();
      throw e;
    }
  }

  /**
   * Reads and checks both slots.
   *
   * @throws CorruptStoreException if neither slot is valid; the message lists both problems
   */
  public Loaded load() throws IOException {
    CatalogSnapshot[] valid = new CatalogSnapshot[2];
    List<CorruptStoreException> problems = new ArrayList<>(2);
    for (int i = 0; i < 2; i++) {
      try {
        CatalogSnapshot s = read(i);
        if (s.generation() % 2 != i) {
          throw new CorruptStoreException(
              paths[i], 16, "generation " + s.generation() + " does not belong in slot " + i);
        }
        valid[i] = s;
      } catch (CorruptStoreException e) {
        problems.add(e);
      }
    }
    if (valid[0] == null && valid[1] == null) {
      throw new CorruptStoreException(
          "no valid catalog slot: " + problems.get(0).getMessage() + "; " + problems.get(1).getMessage(),
          paths[0]);
    }
    if (valid[0] == null || valid[1] == null) {
      return new Loaded(valid[0] == null ? valid[1] : valid[0], null, problems);
    }
    boolean zeroNewer = valid[0].generation() > valid[1].generation();
    return new Loaded(zeroNewer ? valid[0] : valid[1], zeroNewer ? valid[1] : valid[0], problems);
  }

  /**
   * The generation in one slot's header, without checking the body (-1 if the header is
   * unreadable): a cheap way for a reader to learn whether that slot was rewritten since it
   * loaded it.
   */
  public long generationInSlot(int slot) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(CatalogCodec.HEADER_SIZE);
    readAt(channels[slot], header, 0);
    return CatalogCodec.peekGeneration(header.flip());
  }

  /**
   * Writes a generation into its slot ({@code generation % 2}), without forcing it.
   *
   * @return the slot written
   */
  public int write(CatalogSnapshot snapshot) throws IOException {
    int slot = (int) (snapshot.generation() % 2);
    ByteBuffer bytes = CatalogCodec.encode(snapshot, storeId);
    int size = bytes.remaining();
    FileChannel ch = channels[slot];
    while (bytes.hasRemaining()) {
      ch.write(bytes, bytes.position());
    }
    if (ch.size() > size) {
      ch.truncate(size);
    }
    return slot;
  }

  /** Makes a written slot durable. */
  public void force(int slot) throws IOException {
    channels[slot].force(true);
  }

  /** The slot files. */
  public List<Path> paths() {
    return List.of(paths);
  }

  private CatalogSnapshot read(int slot) throws IOException {
    FileChannel ch = channels[slot];
    long size = ch.size();
    if (size > CatalogCodec.MAX_SLOT_SIZE) {
      throw new CorruptStoreException(paths[slot], -1, "catalog slot is " + size + " bytes, over the limit");
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) size);
    readAt(ch, bytes, 0);
    bytes.flip();
    return CatalogCodec.decode(bytes, paths[slot], storeId, chunkSize, dataStart, alignment);
  }

  private static void readAt(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        return;
      }
      pos += n;
    }
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (FileChannel ch : channels) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
