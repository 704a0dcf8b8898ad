package io.regionstore.catalog;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.mmap.DataFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The catalog on disk: two meta pages in the data file, written alternately as LMDB's meta pages,
 * each pointing at a catalog body stored in extents of the same file. Generation {@code g} goes to
 * meta page {@code g % 2}, with a new body; the newest page that passes every check wins at open.
 *
 * <p>Because the catalog lives in the data file, one fdatasync makes a generation durable with
 * the region bytes it names. That fdatasync orders nothing, so after a power failure the newest
 * meta page may be on disk while bytes it depends on are not. Every page therefore carries its
 * body's CRC32C and every region record its bytes' CRC32C; {@link #load} accepts the newest
 * generation only if its body checks out and, when the page was written before the current boot
 * (only then can writes have been lost), every region it adds over the older generation checks out
 * too. Otherwise it falls back to the older page, which was wholly durable before the newer one was
 * begun. Space is reused only once both pages leave it out, so a fallback never reads reused
 * bytes.
 *
 * <p>Thread-safety: {@link #write} is called by one committer at a time (the store's group commit);
 * {@link #load} and {@link #generationInSlot} may run concurrently with it and see a page being
 * written as invalid.
 */
public final class CatalogSlots {
  /**
   * What {@link #load} found.
   *
   * @param newest the generation to use
   * @param newestBody the extents of its body
   * @param older the other valid generation, or null
   * @param olderBody the extents of its body, or null
   * @param problems why a page was rejected
   * @param rejectedSlot a slot whose page is intact but whose generation did not fully reach the
   *     disk (a writer rewrites it before reusing any space), or -1
   */
  public record Loaded(
      CatalogSnapshot newest,
      long[] newestBody,
      CatalogSnapshot older,
      long[] olderBody,
      List<CorruptStoreException> problems,
      int rejectedSlot) {}

  private record Candidate(int slot, MetaPage page, CatalogSnapshot snapshot) {}

  private final DataFile data;
  private final UUID storeId;
  private final long alignment;

  /**
   * @param data the data file holding the pages and bodies
   * @param alignment every extent offset and length is a multiple of this
   */
  public CatalogSlots(DataFile data, long alignment) {
    this.data = data;
    this.storeId = data.storeId();
    this.alignment = alignment;
  }

  /** File offset of meta page {@code slot}. */
  public static long pageOffset(int slot) {
    return DataFile.HEADER_SIZE + (long) slot * DataFile.META_PAGE_SIZE;
  }

  /**
   * The writes that give a new data file its first two generations, 0 and 1, both empty: file
   * offset to bytes, for {@link DataFile#create}.
   */
  public static Map<Long, ByteBuffer> initialWrites(UUID storeId, long alignment) {
    Map<Long, ByteBuffer> writes = new HashMap<>();
    long bodyAt = DataFile.DATA_START;
    for (int generation = 0; generation < 2; generation++) {
      ByteBuffer body = CatalogCodec.encode(new CatalogSnapshot(generation, List.of()), storeId);
      long length = body.remaining();
      long extent = (length + alignment - 1) / alignment * alignment;
      MetaPage page =
          new MetaPage(generation, storeId, BootId.current(), length, crc(body), new long[] {bodyAt, extent});
      writes.put(bodyAt, body);
      writes.put(pageOffset(generation), page.encode());
      bodyAt += extent;
    }
    return writes;
  }

  /**
   * Reads and checks both pages and their bodies, and picks the generation to use.
   *
   * @throws CorruptStoreException if no generation is usable; the message lists every problem
   */
  public Loaded load() throws IOException {
    data.refreshSize(); // a writer in another process may have grown the file
    List<CorruptStoreException> problems = new ArrayList<>(2);
    List<Candidate> valid = new ArrayList<>(2);
    for (int slot = 0; slot < 2; slot++) {
      try {
        valid.add(read(slot));
      } catch (CorruptStoreException e) {
        problems.add(e);
      }
    }
    valid.sort((a, b) -> Long.compare(b.page.generation(), a.page.generation()));
    if (valid.isEmpty()) {
      throw noGeneration(problems);
    }
    Candidate newest = valid.get(0);
    Candidate older = valid.size() > 1 ? valid.get(1) : null;
    if (!Objects.equals(newest.page.bootId(), BootId.current())) {
      CorruptStoreException incomplete = checkRegionsLanded(newest, older);
      if (incomplete != null) {
        problems.add(incomplete);
        if (older == null) {
          throw noGeneration(problems);
        }
        return new Loaded(older.snapshot, older.page.bodyExtents(), null, null, problems, newest.slot);
      }
    }
    return new Loaded(
        newest.snapshot,
        newest.page.bodyExtents(),
        older == null ? null : older.snapshot,
        older == null ? null : older.page.bodyExtents(),
        problems,
        -1);
  }

  /**
   * The generation in one meta page, without checking it (-1 if the page has no magic number): a
   * cheap way for a reader to learn whether that page was rewritten since it loaded it.
   */
  public long generationInSlot(int slot) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(24);
    data.read(head, pageOffset(slot));
    return MetaPage.peekGeneration(head.flip());
  }

  /**
   * Writes a generation's body into {@code bodyExtents} and its meta page into slot {@code
   * generation % 2}. Nothing is forced; the caller fdatasyncs the data file.
   *
   * @param body the encoded body ({@link CatalogCodec#encode})
   * @param bodyExtents offset and length pairs, together at least the body's length
   */
  public void write(long generation, ByteBuffer body, long[] bodyExtents) throws IOException {
    int crc = crc(body);
    long length = body.remaining();
    ByteBuffer rest = body.duplicate();
    for (int i = 0; i < bodyExtents.length && rest.hasRemaining(); i += 2) {
      int n = (int) Math.min(rest.remaining(), bodyExtents[i + 1]);
      data.write(rest.slice(rest.position(), n), bodyExtents[i]);
      rest.position(rest.position() + n);
    }
    MetaPage page = new MetaPage(generation, storeId, BootId.current(), length, crc, bodyExtents);
    data.write(page.encode(), pageOffset((int) (generation % 2)));
  }

  /** Overwrites a meta page with zeros, so that it can never be chosen again. */
  public void invalidate(int slot) throws IOException {
    data.write(ByteBuffer.allocate(MetaPage.SIZE), pageOffset(slot));
  }

  private Candidate read(int slot) throws IOException {
    long at = pageOffset(slot);
    ByteBuffer raw = ByteBuffer.allocate(MetaPage.SIZE);
    data.read(raw, at);
    MetaPage page = MetaPage.decode(raw.flip(), data.path(), at, storeId);
    if (page.generation() % 2 != slot) {
      throw new CorruptStoreException(
          data.path(), at + 16, "generation " + page.generation() + " does not belong in meta page " + slot);
    }
    ByteBuffer body = readBody(page, at);
    if (crc(body) != page.bodyCrc()) {
      throw new CorruptStoreException(
          data.path(), page.bodyExtents()[0], "catalog body of generation " + page.generation() + " fails its checksum");
    }
    CatalogSnapshot snapshot =
        CatalogCodec.decode(
            body, data.path(), page.bodyExtents()[0], storeId, data.chunkSize(), DataFile.DATA_START, alignment,
            page.bodyExtents());
    if (snapshot.generation() != page.generation()) {
      throw new CorruptStoreException(
          data.path(), page.bodyExtents()[0], "catalog body holds generation " + snapshot.generation()
              + ", its meta page " + page.generation());
    }
    for (PersistedRegion r : snapshot.regions()) {
      long[] x = r.extents();
      for (int i = 0; i < x.length; i += 2) {
        if (x[i] + x[i + 1] > data.size()) {
          throw new CorruptStoreException(
              data.path(), data.size(), "data file ends at " + data.size() + " but region \"" + r.name()
                  + "\" of catalog generation " + page.generation() + " has an extent up to " + (x[i] + x[i + 1]));
        }
      }
    }
    return new Candidate(slot, page, snapshot);
  }

  private ByteBuffer readBody(MetaPage page, long pageAt) throws IOException {
    long[] x = page.bodyExtents();
    long total = 0;
    for (int i = 0; i < x.length; i += 2) {
      boolean ok =
          x[i] >= DataFile.DATA_START
              && x[i + 1] > 0
              && x[i] % alignment == 0
              && x[i + 1] % alignment == 0
              && x[i] / data.chunkSize() == (x[i] + x[i + 1] - 1) / data.chunkSize()
              && x[i] + x[i + 1] <= data.size();
      if (!ok) {
        throw new CorruptStoreException(
            data.path(), pageAt + 72 + 8L * i, "catalog body extent [" + x[i] + ", +" + x[i + 1]
                + ") is misaligned, crosses a chunk or lies beyond the data file (" + data.size() + " bytes)");
      }
      total += x[i + 1];
    }
    if (total < page.bodyLength() || total - page.bodyLength() >= alignment) {
      throw new CorruptStoreException(
          data.path(), pageAt + 56, "catalog body of " + page.bodyLength() + " bytes in " + total + " bytes of extents");
    }
    ByteBuffer body = ByteBuffer.allocate((int) page.bodyLength());
    for (int i = 0; i < x.length && body.hasRemaining(); i += 2) {
      data.read(body.slice(body.position(), (int) Math.min(body.remaining(), x[i + 1])), x[i]);
      body.position(body.position() + (int) Math.min(body.remaining(), x[i + 1]));
    }
    return body.flip();
  }

  /**
   * Checks the bytes of every region the newest generation adds over the older one (all of its
   * regions when there is no older one).
   *
   * @return the problem, or null if every such region has the bytes its CRC says
   */
  private CorruptStoreException checkRegionsLanded(Candidate newest, Candidate older) throws IOException {
    // A region with the same extents and CRC in the older generation (kept or renamed) was
    // durable before the newest page was begun.
    Set<String> durable = new HashSet<>();
    if (older != null) {
      for (PersistedRegion r : older.snapshot.regions()) {
        durable.add(Arrays.toString(r.extents()) + r.crc());
      }
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    for (PersistedRegion r : newest.snapshot.regions()) {
      if (!durable.contains(Arrays.toString(r.extents()) + r.crc()) && crcOf(r, buffer) != r.crc()) {
        return new CorruptStoreException(
            data.path(), r.extents().length > 0 ? r.extents()[0] : -1, "region \"" + r.name() + "\" of catalog generation "
                + newest.page.generation() + " fails its checksum: that generation did not fully reach the "
                + "disk before a power failure; using generation " + (older == null ? "none" : older.page.generation()));
      }
    }
    return null;
  }

  private int crcOf(PersistedRegion r, ByteBuffer buffer) throws IOException {
    CRC32C crc = new CRC32C();
    long remaining = r.length();
    long[] x = r.extents();
    for (int i = 0; i < x.length && remaining > 0; i += 2) {
      long done = 0;
      long inExtent = Math.min(x[i + 1], remaining);
      while (done < inExtent) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), inExtent - done));
        data.read(buffer, x[i] + done);
        buffer.flip();
        int n = buffer.remaining();
        if (n == 0) {
          return ~r.crc(); // the file ends inside the region
        }
        crc.update(buffer);
        done += n;
      }
      remaining -= inExtent;
    }
    return (int) crc.getValue();
  }

  private CorruptStoreException noGeneration(List<CorruptStoreException> problems) {
    StringBuilder sb = new StringBuilder("no usable catalog generation in " + data.path() + ":");
    for (CorruptStoreException p : problems) {
      sb.append(' ').append(p.getMessage()).append(';');
    }
    return new CorruptStoreException(sb.toString(), data.path());
  }

  private static int crc(ByteBuffer bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes.duplicate());
    return (int) crc.getValue();
  }
}
