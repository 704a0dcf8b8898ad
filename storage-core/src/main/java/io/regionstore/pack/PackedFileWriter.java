package io.regionstore.pack;

import io.regionstore.catalog.CatalogCodec;
import io.regionstore.catalog.CatalogSnapshot;
import io.regionstore.catalog.MetaPage;
import io.regionstore.catalog.PersistedRegion;
import io.regionstore.errors.CorruptStoreException;
import io.regionstore.io.ChannelOpener;
import io.regionstore.mmap.DataFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Writes a packed store file ({@link PackFormat}) from a set of regions: an immutable,
 * exact-size copy whose bytes depend only on the content (the same regions, generation and
 * options give a byte-identical file).
 *
 * <p>Regions are laid out in name order, each 64-byte aligned, after the front. Each region's
 * bytes are read once, checked against the CRC32C the store recorded for them and hashed with
 * SHA-256 on the way; the copies of hot ranges are read a second time into the front. The file
 * is written under a temporary name next to {@code target}, fsynced, renamed over {@code target}
 * and the folder fsynced: a crash leaves the old target or the new one, never a part.
 *
 * <p>Stateless and thread-safe; each call writes its own file.
 */
public final class PackedFileWriter {
  private static final int COPY_BUFFER = 1 << 20;

  /** Reads a region's bytes. */
  @FunctionalInterface
  public interface RegionBytes {
    /** Copies {@code length} bytes at {@code position} of the region into {@code dst}. */
    void read(long position, byte[] dst, int offset, int length) throws IOException;
  }

  /**
   * One region to pack.
   *
   * @param name its name
   * @param length its length in bytes
   * @param crc32c the CRC32C its store recorded; the bytes read must match it
   * @param bytes where to read them
   */
  public record Input(String name, long length, int crc32c, RegionBytes bytes) {}

  private PackedFileWriter() {}

  /**
   * Writes the packed file.
   *
   * @param target the file to write (replaced if it exists)
   * @param opener opens the file channels
   * @param source what is being packed, for messages
   * @param generation the catalog generation the regions belong to
   * @param inputs the regions, in any order
   * @param options the hot section
   * @return where everything went
   * @throws IllegalArgumentException if two regions share a name, or a hot range names a region
   *     that is not packed or lies outside it, or the front would exceed {@link
   *     PackFormat#MAX_FRONT_LENGTH}
   * @throws CorruptStoreException if a region's bytes do not match its CRC32C
   */
  public static PackLayout write(
      Path target, ChannelOpener opener, String source, long generation, List<Input> inputs, PackOptions options)
      throws IOException {
    List<Input> regions = new ArrayList<>(inputs);
    regions.sort(Comparator.comparing(Input::name));
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < regions.size(); i++) {
      if (index.put(regions.get(i).name(), i) != null) {
        throw new IllegalArgumentException("region \"" + regions.get(i).name() + "\" is listed twice");
      }
    }
    HotPlan hot = HotPlan.of(options, regions, index);
    Layout layout = Layout.compute(generation, regions, hot);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    byte[][] sha = new byte[regions.size()][];
    try (FileChannel ch = opener.open(tmp, EnumSet.of(
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
      for (int i = 0; i < regions.size(); i++) {
        sha[i] = copyRegion(ch, regions.get(i), layout.regionOffset[i], source);
      }
      ByteBuffer front = layout.front(regions, sha, hot);
      DataFile.writeFully(ch, front, 0);
      if (ch.size() != layout.fileLength) {
        throw new IOException("packed " + tmp + " is " + ch.size() + " bytes, expected " + layout.fileLength);
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path folder = target.toAbsolutePath().getParent();
    try (FileChannel dir = opener.open(folder, EnumSet.of(StandardOpenOption.READ))) {
      dir.force(true);
    }
    return layout.result(layout.storeId(sha, hot));
  }

  /** Copies a region to {@code at} with its zero padding; returns its SHA-256. */
  private static byte[] copyRegion(FileChannel ch, Input r, long at, String source) throws IOException {
    MessageDigest sha = PackFormat.sha256();
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, PackFormat.align(Math.max(r.length(), 1)))];
    long done = 0;
    while (done < r.length()) {
      int n = (int) Math.min(buffer.length, r.length() - done);
      r.bytes().read(done, buffer, 0, n);
      sha.update(buffer, 0, n);
      crc.update(buffer, 0, n);
      DataFile.writeFully(ch, ByteBuffer.wrap(buffer, 0, n), at + done);
      done += n;
    }
    long padding = PackFormat.align(r.length()) - r.length();
    if (padding > 0) {
      DataFile.writeFully(ch, ByteBuffer.allocate((int) padding), at + r.length());
    }
    if ((int) crc.getValue() != r.crc32c()) {
      throw new CorruptStoreException(source, -1, "region \"" + r.name() + "\" fails its CRC32C (recorded 0x"
          + Integer.toHexString(r.crc32c()) + ", read 0x" + Integer.toHexString((int) crc.getValue()) + ")");
    }
    return sha.digest();
  }

  /** The hot ranges after merging, in region (name) order and then offset order. */
  private record HotPlan(int[] region, long[] offset, long[] length, long total) {
    static HotPlan of(PackOptions options, List<Input> regions, Map<String, Integer> index) {
      List<long[]> spans = new ArrayList<>(); // {region index, offset, end}
      for (PackOptions.Span s : options.hotRanges()) {
        int r = regionIndex(index, s.region());
        if (s.offset() > regions.get(r).length() - s.length()) {
          throw new IllegalArgumentException("hot range [" + s.offset() + ", +" + s.length() + ") lies outside region \""
              + s.region() + "\" of " + regions.get(r).length() + " bytes");
        }
        if (s.length() > 0) {
          spans.add(new long[] {r, s.offset(), s.offset() + s.length()});
        }
      }
      for (String name : options.hotRegions()) {
        int r = regionIndex(index, name);
        if (regions.get(r).length() > 0) {
          spans.add(new long[] {r, 0, regions.get(r).length()});
        }
      }
      spans.sort(Comparator.<long[]>comparingLong(s -> s[0]).thenComparingLong(s -> s[1]));
      List<long[]> merged = new ArrayList<>();
      for (long[] s : spans) {
        long[] last = merged.isEmpty() ? null : merged.getLast();
        if (last != null && last[0] == s[0] && s[1] <= last[2]) {
          last[2] = Math.max(last[2], s[2]);
        } else {
          merged.add(s.clone());
        }
      }
      if (merged.size() > PackFormat.MAX_HOT_RANGES) {
        throw new IllegalArgumentException(merged.size() + " hot ranges, more than " + PackFormat.MAX_HOT_RANGES);
      }
      int n = merged.size();
      int[] region = new int[n];
      long[] offset = new long[n];
      long[] length = new long[n];
      long total = 0;
      for (int i = 0; i < n; i++) {
        region[i] = (int) merged.get(i)[0];
        offset[i] = merged.get(i)[1];
        length[i] = merged.get(i)[2] - offset[i];
        total += length[i];
      }
      return new HotPlan(region, offset, length, total);
    }

    private static int regionIndex(Map<String, Integer> index, String name) {
      Integer r = index.get(name);
      if (r == null) {
        throw new IllegalArgumentException("hot region \"" + name + "\" is not in the packed generation");
      }
      return r;
    }
  }

  /** Sizes and offsets of every part, worked out before anything is written. */
  private static final class Layout {
    final long generation;
    final List<String> names = new ArrayList<>();
    final long[] lengths;
    final int[] crcs;
    final long[] regionOffset;
    long[][] extents;
    long chunkSize;
    ByteBuffer catalogShape;
    long indexOffset;
    long indexLength;
    long hotOffset;
    long hotLength;
    int hotRanges;
    long frontLength;
    long regionBytes;
    long fileLength;

    private Layout(long generation, List<Input> regions) {
      this.generation = generation;
      this.lengths = new long[regions.size()];
      this.crcs = new int[regions.size()];
      this.regionOffset = new long[regions.size()];
      for (int i = 0; i < lengths.length; i++) {
        names.add(regions.get(i).name());
        lengths[i] = regions.get(i).length();
        crcs[i] = regions.get(i).crc32c();
        regionBytes += PackFormat.align(lengths[i]);
      }
    }

    /**
     * The front's length depends on the catalog's, which depends on how many extents the regions
     * need, which depends (beyond 16 GiB) on where they start: iterate to the fixed point.
     */
    static Layout compute(long generation, List<Input> regions, HotPlan hot) {
      Layout l = new Layout(generation, regions);
      l.indexLength = PackIndex.length(regions.size(), hot.region().length);
      l.hotLength = hot.total();
      l.hotRanges = hot.region().length;
      long front = PackFormat.CATALOG_OFFSET;
      for (int round = 0; round < 64; round++) {
        l.place(front);
        long next = PackFormat.align(l.hotOffset + l.hotLength);
        if (next > PackFormat.MAX_FRONT_LENGTH) {
          throw new IllegalArgumentException("front of " + next + " bytes exceeds " + PackFormat.MAX_FRONT_LENGTH
              + ": too many regions or hot bytes");
        }
        if (next == front) {
          return l;
        }
        front = next;
      }
      throw new IllegalStateException("packed layout does not settle");
    }

    private void place(long front) {
      frontLength = front;
      fileLength = front + regionBytes;
      chunkSize = PackFormat.chunkSizeFor(fileLength);
      extents = new long[lengths.length][];
      List<PersistedRegion> shape = new ArrayList<>(lengths.length);
      long at = front;
      for (int i = 0; i < lengths.length; i++) {
        regionOffset[i] = at;
        extents[i] = split(at, PackFormat.align(lengths[i]), chunkSize);
        shape.add(new PersistedRegion(names.get(i), lengths[i], 0, extents[i]));
        at += PackFormat.align(lengths[i]);
      }
      catalogShape = CatalogCodec.encode(new CatalogSnapshot(generation, shape), new UUID(0, 0));
      indexOffset = PackFormat.CATALOG_OFFSET + PackFormat.align(catalogShape.remaining());
      hotOffset = indexOffset + indexLength;
    }

    private static long[] split(long at, long length, long chunk) {
      List<Long> pieces = new ArrayList<>(2);
      for (long pos = at, end = at + length; pos < end; ) {
        long piece = Math.min(end - pos, chunk - pos % chunk);
        pieces.add(pos);
        pieces.add(piece);
        pos += piece;
      }
      return pieces.stream().mapToLong(Long::longValue).toArray();
    }

    ByteBuffer front(List<Input> regions, byte[][] sha, HotPlan hot) throws IOException {
      UUID storeId = storeId(sha, hot);
      ByteBuffer front = ByteBuffer.allocate((int) frontLength);
      List<PersistedRegion> persisted = new ArrayList<>(lengths.length);
      for (int i = 0; i < lengths.length; i++) {
        persisted.add(new PersistedRegion(names.get(i), lengths[i], regions.get(i).crc32c(), extents[i]));
      }
      ByteBuffer body = CatalogCodec.encode(new CatalogSnapshot(generation, persisted), storeId);
      CRC32C crc = new CRC32C();
      crc.update(body.duplicate());
      long bodyLength = body.remaining();
      front.put(PackFormat.CATALOG_OFFSET, body, 0, body.remaining());
      MetaPage page = new MetaPage(generation, storeId, null, bodyLength, (int) crc.getValue(),
          new long[] {PackFormat.CATALOG_OFFSET, indexOffset - PackFormat.CATALOG_OFFSET});
      front.put(PackFormat.META_PAGE_OFFSET, page.encode(), 0, MetaPage.SIZE);
      long[] frontOffsets = new long[hotRanges];
      long at = hotOffset;
      for (int i = 0; i < hotRanges; i++) {
        frontOffsets[i] = at;
        regions.get(hot.region()[i]).bytes().read(hot.offset()[i], front.array(), (int) at, (int) hot.length()[i]);
        at += hot.length()[i];
      }
      crc.reset();
      crc.update(front.slice((int) hotOffset, (int) (frontLength - hotOffset)));
      PackIndex index = new PackIndex(sha, hot.region(), hot.offset(), hot.length(), frontOffsets, (int) crc.getValue());
      front.put((int) indexOffset, index.encode(), 0, (int) indexLength);
      PackHeader header = new PackHeader(chunkSize, storeId, fileLength, frontLength, indexOffset, indexLength);
      front.put(0, header.encode(), 0, PackFormat.HEADER_SIZE);
      return front.clear();
    }

    UUID storeId(byte[][] sha, HotPlan hot) {
      return PackFormat.contentId(generation, names, lengths, crcs, sha, hot.region(), hot.offset(), hot.length());
    }

    PackLayout result(UUID storeId) {
      return new PackLayout(generation, storeId, chunkSize, lengths.length, catalogShape.remaining(), indexOffset,
          indexLength, hotOffset, hotLength, hotRanges, frontLength, regionBytes, fileLength);
    }
  }
}
