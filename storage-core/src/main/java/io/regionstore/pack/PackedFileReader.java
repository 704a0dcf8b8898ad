package io.regionstore.pack;

import io.regionstore.catalog.CatalogCodec;
import io.regionstore.catalog.CatalogSnapshot;
import io.regionstore.catalog.MetaPage;
import io.regionstore.catalog.PersistedRegion;
import io.regionstore.errors.CorruptStoreException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Checks and parses the front section of a packed store file; the one parser for local and remote
 * opens. A remote opener reads the first {@link PackFormat#FIRST_WINDOW} bytes (or the whole file
 * if it is shorter), learns the front's length with {@link #frontLength}, reads the rest of the
 * front in one more request and parses it with {@link #parse}.
 *
 * <p>The input is untrusted (a packed file may come from any server). Every field is checked
 * before it is used: the header's, meta page's, catalog body's and pack index's CRC32C, their
 * structure with the same checks a local store's catalog gets ({@link MetaPage}, {@link
 * CatalogCodec}), every region extent inside the file (and together tiling the bytes after the
 * front exactly), every hot range inside its region and the front, sorted and non-overlapping, at
 * most {@link PackFormat#MAX_HOT_RANGES}, the hot bytes' CRC32C, zero padding, and the store id
 * against the content. Nothing is allocated from a count before the count is checked against the
 * bytes there are. Every failure is a {@link CorruptStoreException} naming the source and the
 * offset of the first bad field; no other exception escapes for bad bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class PackedFileReader {
  private PackedFileReader() {}

  /**
   * The length of the front section, from the start of the file.
   *
   * @param firstWindow the file's first bytes from its position on: at least the header ({@value
   *     PackFormat#HEADER_SIZE} bytes); normally {@code min(FIRST_WINDOW, fileLength)}
   * @param fileLength the file's length as the source reports it
   * @param source where the bytes come from, for messages (a path or a URL without its query)
   * @return the front length: at most {@code fileLength} and {@link PackFormat#MAX_FRONT_LENGTH}
   * @throws CorruptStoreException if the header fails a check, or the file's length is not the
   *     one its header states (truncated, or bytes appended)
   * @throws IllegalArgumentException if {@code firstWindow} holds fewer bytes than the header
   *     although the file is longer (the caller read too little)
   */
  public static long frontLength(ByteBuffer firstWindow, long fileLength, String source)
      throws CorruptStoreException {
    return PackHeader.decode(firstWindow.slice(), fileLength, Origin.of(source)).frontLength();
  }

  /**
   * {@link #frontLength(ByteBuffer, long, String)} for a local file: exceptions name it as {@link
   * CorruptStoreException#file()}.
   */
  public static long frontLength(ByteBuffer firstWindow, long fileLength, Path file) throws CorruptStoreException {
    return PackHeader.decode(firstWindow.slice(), fileLength, Origin.of(file)).frontLength();
  }

  /** {@link #frontLength(ByteBuffer, long, String)} for bytes in a memory segment. */
  public static long frontLength(MemorySegment firstWindow, long fileLength, String source)
      throws CorruptStoreException {
    return frontLength(asBuffer(firstWindow), fileLength, source);
  }

  /**
   * Checks and parses the whole front.
   *
   * @param front the file's first {@link #frontLength} bytes (or more, e.g. a whole first window:
   *     only the front is used), from its position on; the returned view keeps a reference to them
   * @param fileLength the file's length as the source reports it
   * @param source where the bytes come from, for messages
   * @throws CorruptStoreException naming {@code source} and the offset of the first bad field
   */
  public static PackedFront parse(ByteBuffer front, long fileLength, String source) throws CorruptStoreException {
    return parse(front, fileLength, Origin.of(source));
  }

  /** {@link #parse(ByteBuffer, long, String)} for bytes in a memory segment. */
  public static PackedFront parse(MemorySegment front, long fileLength, String source) throws CorruptStoreException {
    return parse(asBuffer(front), fileLength, source);
  }

  /**
   * {@link #parse(ByteBuffer, long, String)} for a local file: exceptions name it as {@link
   * CorruptStoreException#file()}.
   */
  public static PackedFront parse(ByteBuffer front, long fileLength, Path file) throws CorruptStoreException {
    return parse(front, fileLength, Origin.of(file));
  }

  /**
   * Reads and parses the front of a local packed file the way a remote opener does: the first
   * window, then the rest of the front if it is longer.
   *
   * @param channel a readable channel of {@code file}
   * @throws CorruptStoreException naming {@code file} if the front fails a check or the file ends
   *     early
   */
  public static PackedFront read(FileChannel channel, Path file) throws IOException {
    long size = channel.size();
    ByteBuffer window = read(channel, file, (int) Math.min(PackFormat.FIRST_WINDOW, size));
    long frontLength = frontLength(window, size, file);
    ByteBuffer front =
        frontLength <= window.capacity() ? window.slice(0, (int) frontLength) : read(channel, file, (int) frontLength);
    return parse(front, size, file);
  }

  /** {@link #read(FileChannel, Path)} on a channel of its own. */
  public static PackedFront read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel, file);
    }
  }

  private static ByteBuffer read(FileChannel ch, Path file, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, b.position()) < 0) {
        throw new CorruptStoreException(file, b.position(), "packed file ends early (changed while opening?)");
      }
    }
    return b.flip();
  }

  private static ByteBuffer asBuffer(MemorySegment segment) throws CorruptStoreException {
    if (segment.byteSize() > PackFormat.MAX_FRONT_LENGTH) {
      segment = segment.asSlice(0, PackFormat.MAX_FRONT_LENGTH + PackFormat.ALIGNMENT);
    }
    return segment.asByteBuffer();
  }

  private static PackedFront parse(ByteBuffer bytes, long fileLength, Origin origin) throws CorruptStoreException {
    ByteBuffer given = bytes.slice(); // position 0 is file offset 0; big-endian
    PackHeader header = PackHeader.decode(given, fileLength, origin);
    if (given.remaining() < header.frontLength()) {
      throw origin.corrupt(
          given.remaining(), "front of " + given.remaining() + " bytes given, the header says " + header.frontLength());
    }
    ByteBuffer f = given.slice(0, (int) header.frontLength());
    MetaPage page = metaPage(f, header, origin);
    int bodyLength = (int) page.bodyLength();
    long bodyEnd = PackFormat.CATALOG_OFFSET + PackFormat.align(bodyLength);
    if (page.bodyExtents().length != 2 || page.bodyExtents()[0] != PackFormat.CATALOG_OFFSET
        || page.bodyExtents()[1] != bodyEnd - PackFormat.CATALOG_OFFSET || bodyEnd != header.indexOffset()) {
      throw origin.corrupt(PackFormat.META_PAGE_OFFSET + 72, "catalog body of " + bodyLength + " bytes at "
          + Arrays.toString(page.bodyExtents()) + " is not where a packed file has it, before the pack index at "
          + header.indexOffset());
    }
    ByteBuffer body = f.slice(PackFormat.CATALOG_OFFSET, bodyLength);
    CRC32C crc = new CRC32C();
    crc.update(body.duplicate());
    if ((int) crc.getValue() != page.bodyCrc()) {
      throw origin.corrupt(PackFormat.CATALOG_OFFSET, "catalog body of generation " + page.generation() + " fails its checksum");
    }
    CatalogSnapshot catalog;
    try {
      catalog = CatalogCodec.decode(body, null, PackFormat.CATALOG_OFFSET, header.storeId(), header.chunkSize(),
          header.frontLength(), PackFormat.ALIGNMENT, page.bodyExtents());
    } catch (CorruptStoreException e) {
      throw origin.renamed(e);
    }
    if (catalog.generation() != page.generation()) {
      throw origin.corrupt(PackFormat.CATALOG_OFFSET + 16, "catalog body holds generation " + catalog.generation()
          + ", its meta page " + page.generation());
    }
    checkZeros(f, PackFormat.CATALOG_OFFSET + bodyLength, bodyEnd, origin);
    checkRegionsTileTheFile(catalog, header, origin);
    List<PersistedRegion> persisted = catalog.regions();
    long[] lengths = new long[persisted.size()];
    int[] crcs = new int[persisted.size()];
    List<String> names = new ArrayList<>(persisted.size());
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = persisted.get(i).length();
      crcs[i] = persisted.get(i).crc();
      names.add(persisted.get(i).name());
    }
    PackIndex index = PackIndex.decode(f, header.indexOffset(), header.indexLength(), lengths, origin);
    long hotStart = header.indexOffset() + header.indexLength();
    int hot = index.hotRegion().length;
    long hotEnd = hot == 0 ? hotStart : index.hotFrontOffset()[hot - 1] + index.hotLength()[hot - 1];
    if (PackFormat.align(hotEnd) != header.frontLength()) {
      throw origin.corrupt(48, "front length " + header.frontLength() + " does not end where the hot bytes do ("
          + hotEnd + ", aligned to " + PackFormat.ALIGNMENT + ")");
    }
    crc.reset();
    crc.update(f.slice((int) hotStart, (int) (header.frontLength() - hotStart)));
    if ((int) crc.getValue() != index.hotCrc()) {
      throw origin.corrupt(hotStart, "hot bytes fail their checksum");
    }
    checkZeros(f, hotEnd, header.frontLength(), origin);
    if (!PackFormat.contentId(catalog.generation(), names, lengths, crcs, index.sha256(), index.hotRegion(),
        index.hotOffset(), index.hotLength()).equals(header.storeId())) {
      throw origin.corrupt(24, "store id " + header.storeId() + " does not match the content's hash");
    }
    List<PackedRegion> regions = new ArrayList<>(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      PersistedRegion r = persisted.get(i);
      regions.add(new PackedRegion(i, r.name(), r.length(), r.crc(), index.sha256()[i], r.extents()));
    }
    List<HotRange> ranges = new ArrayList<>(hot);
    for (int i = 0; i < hot; i++) {
      ranges.add(new HotRange(names.get(index.hotRegion()[i]), index.hotOffset()[i], index.hotLength()[i],
          index.hotFrontOffset()[i]));
    }
    return new PackedFront(header, catalog.generation(), regions, ranges, index.hotRegion(), f);
  }

  private static MetaPage metaPage(ByteBuffer f, PackHeader header, Origin origin) throws CorruptStoreException {
    MetaPage page;
    try {
      page = MetaPage.decode(f.slice(PackFormat.META_PAGE_OFFSET, MetaPage.SIZE), null, PackFormat.META_PAGE_OFFSET,
          header.storeId());
    } catch (CorruptStoreException e) {
      throw origin.renamed(e);
    }
    if (page.bootId() != null) {
      throw origin.corrupt(PackFormat.META_PAGE_OFFSET + 40, "a packed meta page records no boot id, this one "
          + page.bootId());
    }
    // MetaPage leaves its reserved field and padding unchecked (its CRC covers them); a packed
    // file has them zero, so that every byte of the front means something.
    checkZeros(f, PackFormat.META_PAGE_OFFSET + 68, PackFormat.META_PAGE_OFFSET + 72, origin);
    checkZeros(f, PackFormat.META_PAGE_OFFSET + 72 + 8L * page.bodyExtents().length,
        PackFormat.META_PAGE_OFFSET + MetaPage.SIZE - 4, origin);
    if (page.bodyLength() > header.indexOffset() - PackFormat.CATALOG_OFFSET) {
      throw origin.corrupt(PackFormat.META_PAGE_OFFSET + 56, "catalog body of " + page.bodyLength()
          + " bytes does not fit before the pack index at " + header.indexOffset());
    }
    return page;
  }

  /** Region extents lie after the front and inside the file, and cover it exactly (no hidden bytes). */
  private static void checkRegionsTileTheFile(CatalogSnapshot catalog, PackHeader header, Origin origin)
      throws CorruptStoreException {
    long total = 0;
    for (PersistedRegion r : catalog.regions()) {
      long[] x = r.extents();
      for (int i = 0; i < x.length; i += 2) {
        if (x[i] > header.fileLength() - x[i + 1]) {
          throw origin.corrupt(PackFormat.CATALOG_OFFSET, "region \"" + r.name() + "\" has an extent ["
              + x[i] + ", +" + x[i + 1] + ") past the end of the " + header.fileLength() + "-byte file");
        }
        total += x[i + 1];
      }
    }
    // Extents do not overlap (the catalog checks) and lie in [front, file end): equal sums mean a tiling.
    if (total != header.fileLength() - header.frontLength()) {
      throw origin.corrupt(PackFormat.CATALOG_OFFSET, "regions hold " + total + " bytes, the file "
          + (header.fileLength() - header.frontLength()) + " after its front");
    }
  }

  private static void checkZeros(ByteBuffer f, long from, long to, Origin origin) throws CorruptStoreException {
    for (long i = from; i < to; i++) {
      if (f.get((int) i) != 0) {
        throw origin.corrupt(i, "padding byte is not zero");
      }
    }
  }
}
