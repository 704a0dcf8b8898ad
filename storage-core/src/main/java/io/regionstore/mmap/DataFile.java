package io.regionstore.mmap;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.events.FsyncEvent;
import io.regionstore.events.HolePunchEvent;
import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import io.regionstore.io.SparseFile;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The store's one data file: a checksummed header page followed by region extents.
 *
 * <p>Bytes reach the file only through positional writes ({@link #write}), never through a
 * writable mapping: a full disk then fails the write with an {@link IOException} instead of
 * raising SIGBUS on a later access to a mapping, and every write is visible to a fault-injecting
 * {@link ChannelOpener}. Reads go through read-only mappings ({@link MappedChunks}), which share
 * the page cache with the writes.
 *
 * <p>The file is always a whole number of chunks long, so each chunk can be mapped at its full size
 * once and never remapped. Growth extends the file by one chunk with a single one-byte write at its
 * end; the rest of the chunk is a hole until extents are written there.
 *
 * <p>Layout: the header page, then two meta pages (the catalog's slots, see {@code
 * io.regionstore.catalog.CatalogSlots}), then extents from {@link #DATA_START}. Header page
 * (big-endian): magic (8) | format version (4) | header size (4) | chunk size (8) | store id (16) |
 * created, epoch ms (8) | CRC32C of the preceding 48 bytes (4).
 *
 * <p>Thread-safe: positional I/O needs no lock; {@link #addChunk} and {@link #truncate} are
 * synchronized.
 */
public final class DataFile implements AutoCloseable {
  /** File name inside the store folder. */
  public static final String FILE_NAME = "regionstore.data";
  /** Bytes of the header page. */
  public static final int HEADER_SIZE = 4096;
  /** Bytes of one meta page; meta slot {@code i} starts at {@code HEADER_SIZE + i * META_PAGE_SIZE}. */
  public static final int META_PAGE_SIZE = 4096;
  /** Where extents start: after the header page and the two meta pages. */
  public static final int DATA_START = HEADER_SIZE + 2 * META_PAGE_SIZE;
  /** Format version this code reads and writes. */
  public static final int FORMAT_VERSION = 2;

  private static final long MAGIC = 0x52474E53544F5245L; // "RGNSTORE"
  private static final int HEADER_FIELDS = 48;

  private final Path path;
  private final SparseFile sparse;
  private final FileChannel channel;
  private final long chunkSize;
  private final UUID storeId;
  private final boolean immutable;
  private volatile long size;

  private DataFile(Path path, FileChannel channel, long chunkSize, UUID storeId, long size, boolean immutable) {
    this.path = path;
    this.sparse = SparseFile.of(path); // right after the channel: the same file
    this.channel = channel;
    this.chunkSize = chunkSize;
    this.storeId = storeId;
    this.size = size;
    this.immutable = immutable;
  }

  /**
   * A packed store file, already checked by {@code io.regionstore.pack.PackedFileReader}: read-only,
   * never written, and not a whole number of chunks long (its last chunk is mapped only up to the
   * file's end, see {@link MappedChunks}).
   *
   * @param channel a read-only channel of the file; closed with this object
   */
  public static DataFile packed(Path path, FileChannel channel, long chunkSize, UUID storeId, long size) {
    return new DataFile(path, channel, chunkSize, storeId, size, true);
  }

  /** Whether this is a packed, immutable file whose last chunk may be partial. */
  public boolean isImmutable() {
    return immutable;
  }

  /**
   * Writes a new data file of one chunk next to {@code path}, with {@code initialWrites} (offset
   * to bytes: the first catalog generations) after the header, fsyncs it and renames it into
   * place, so a crash leaves either no data file or a complete one. The caller fsyncs the folder.
   */
  public static void create(
      Path path, ChannelOpener opener, long chunkSize, UUID storeId, Map<Long, ByteBuffer> initialWrites)
      throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel ch =
        opener.open(
            tmp,
            EnumSet.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE))) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
      header.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(HEADER_SIZE).putLong(chunkSize);
      header.putLong(storeId.getMostSignificantBits()).putLong(storeId.getLeastSignificantBits());
      header.putLong(System.currentTimeMillis());
      header.putInt(crc(header, HEADER_FIELDS));
      header.clear();
      writeFully(ch, header, 0);
      for (Map.Entry<Long, ByteBuffer> w : initialWrites.entrySet()) {
        writeFully(ch, w.getValue().duplicate(), w.getKey());
      }
      writeFully(ch, ByteBuffer.allocate(1), chunkSize - 1);
      force(ch, true, tmp, "create");
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Opens and checks an existing data file.
   *
   * @throws java.nio.file.NoSuchFileException if it does not exist
   * @throws CorruptStoreException if the header fails a check
   */
  public static DataFile open(Path path, ChannelOpener opener, boolean readOnly)
      throws IOException {
    Set<StandardOpenOption> options =
        readOnly
            ? EnumSet.of(StandardOpenOption.READ)
            : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileChannel ch = opener.open(path, options);
    try {
      long size = ch.size();
      if (size < DATA_START) {
        throw new CorruptStoreException(
            path, size, "data file is " + size + " bytes, shorter than its " + DATA_START + "-byte header and meta pages");
      }
      ByteBuffer header = ByteBuffer.allocate(HEADER_FIELDS + 4);
      readFully(ch, header, 0, path);
      long magic = header.getLong(0);
      if (magic != MAGIC) {
        throw new CorruptStoreException(
            path, 0, "bad magic 0x" + Long.toHexString(magic) + ": not a RegionStore data file");
      }
      int stored = header.getInt(HEADER_FIELDS);
      int computed = crc(header, HEADER_FIELDS);
      if (stored != computed) {
        throw new CorruptStoreException(
            path,
            HEADER_FIELDS,
            "header checksum mismatch: stored 0x"
                + Integer.toHexString(stored)
                + ", computed 0x"
                + Integer.toHexString(computed));
      }
      int version = header.getInt(8);
      if (version != FORMAT_VERSION) {
        throw new CorruptStoreException(
            path, 8, "unsupported format version " + version + " (this code reads " + FORMAT_VERSION + ")");
      }
      if (header.getInt(12) != HEADER_SIZE) {
        throw new CorruptStoreException(path, 12, "unexpected header size " + header.getInt(12));
      }
      long chunkSize = header.getLong(16);
      if (Long.bitCount(chunkSize) != 1 || chunkSize < HEADER_SIZE * 16L) {
        throw new CorruptStoreException(path, 16, "bad chunk size " + chunkSize);
      }
      UUID id = new UUID(header.getLong(24), header.getLong(32));
      return new DataFile(path, ch, chunkSize, id, size, false);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** The chunk size recorded in the header. */
  public long chunkSize() {
    return chunkSize;
  }

  /** The store id recorded in the header; the catalog slots must carry the same. */
  public UUID storeId() {
    return storeId;
  }

  /** The file size as last seen by this process (cheap; no syscall). */
  public long size() {
    return size;
  }

  /** Reads the file size from the file system (another process may have grown it). */
  public long refreshSize() throws IOException {
    long s = channel.size();
    size = s;
    return s;
  }

  /**
   * Extends the file to a whole number of chunks if it is not one (a writer does this at open).
   */
  public synchronized void roundUpToChunk() throws IOException {
    long s = channel.size();
    long rounded = (s + chunkSize - 1) & -chunkSize;
    if (rounded != s) {
      writeFully(channel, ByteBuffer.allocate(1), rounded - 1);
    }
    size = rounded;
  }

  /**
   * Grows the file by one chunk.
   *
   * @return the offset where the new chunk starts
   */
  public synchronized long addChunk() throws IOException {
    long start = size;
    writeFully(channel, ByteBuffer.allocate(1), start + chunkSize - 1);
    size = start + chunkSize;
    return start;
  }

  /** Shrinks the file to {@code newSize}, a chunk boundary. */
  public synchronized void truncate(long newSize) throws IOException {
    channel.truncate(newSize);
    size = newSize;
  }

  /**
   * Reads {@code dst.remaining()} bytes at {@code position}; fewer only if the file ends first.
   */
  public void read(ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, pos);
      if (n < 0) {
        return;
      }
      pos += n;
    }
  }

  /** Writes all of {@code src} at {@code position}. Not durable until {@link #force}. */
  public void write(ByteBuffer src, long position) throws IOException {
    writeFully(channel, src, position);
  }

  /**
   * Makes every completed write durable (fdatasync), recorded as an {@link FsyncEvent}.
   *
   * @param purpose why, for the event: e.g. {@code "catalog generation 7"}
   */
  public void force(String purpose) throws IOException {
    force(channel, false, path, purpose);
  }

  /** {@code ch.force(metaData)}, recorded as an {@link FsyncEvent} on {@code file}. */
  public static void force(FileChannel ch, boolean metaData, Path file, String purpose) throws IOException {
    FsyncEvent event = new FsyncEvent();
    event.begin();
    boolean succeeded = false;
    try {
      ch.force(metaData);
      succeeded = true;
    } finally {
      event.finish(file, purpose, succeeded);
    }
  }

  /**
   * Gives free ranges back to the file system: punches a hole in each (through the channel, so a
   * {@link ForwardingFileChannel} sees it). Only for ranges no catalog slot and no reader can
   * reference.
   *
   * @param ranges offset and length pairs, page aligned
   * @return false if punching is not available for this file or its file system refuses it
   * @throws IOException if a punch fails otherwise
   */
  public boolean punchHoles(long[] ranges) throws IOException {
    HolePunchEvent event = new HolePunchEvent();
    event.begin();
    boolean punched = false;
    String error = null;
    try {
      punched =
          channel instanceof ForwardingFileChannel forwarding
              ? forwarding.punchHoles(sparse, ranges)
              : sparse.punchHoles(ranges);
      return punched;
    } catch (IOException | RuntimeException e) {
      error = e.toString();
      throw e;
    } finally {
      event.finish(path, ranges, punched, error);
    }
  }

  /** Bytes the file occupies on disk ({@code du}), or -1 where that cannot be asked ({@link SparseFile}). */
  public long allocatedBytes() {
    return sparse.allocatedBytes();
  }

  /** Maps {@code length} bytes at {@code offset} read-only into {@code arena}. */
  public MemorySegment map(long offset, long length, Arena arena) throws IOException {
    return channel.map(FileChannel.MapMode.READ_ONLY, offset, length, arena);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Writes all of {@code src} at {@code position} of {@code ch}. */
  public static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
    long pos = position;
    while (src.hasRemaining()) {
      pos += ch.write(src, pos);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path path)
      throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, pos);
      if (n < 0) {
        throw new EOFException("unexpected end of " + path + " at offset " + pos);
      }
      pos += n;
    }
    dst.flip();
  }

  private static int crc(ByteBuffer buffer, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate().position(0).limit(length));
    return (int) crc.getValue();
  }
}
