package io.regionstore.journal;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.io.ChannelOpener;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A file of checksummed records that only grows at its end: the log a cache keeps of what it holds,
 * so that a restarted process finds it again.
 *
 * <p><b>Format</b> (big-endian). A 32-byte header: magic {@code RGNJRNL1} (8) | format version (4)
 * | header size (4) | journal id (8, random per file) | CRC32C of the bytes before it (4) | zero
 * (4). Then records, back to back: payload length (4, 1..{@link #MAX_RECORD}) | CRC32C (4) |
 * payload. A record's CRC32C covers the journal id, its length field and its payload, so a record
 * left over from another file (an earlier journal whose blocks the file system reuses, or the file
 * before a {@link #prune}) never validates in this one.
 *
 * <p><b>Torn tails.</b> Appends are buffered and written in order; nothing orders them on disk
 * until {@link #sync}. After a crash the file may therefore end in a partly written record, or in
 * records some of whose pages did not land. {@link #open} reads the records in order and cuts the
 * file at the first one that is incomplete or fails its checksum ({@link #cutAtOpen} says how many
 * bytes went): what remains is always a prefix of what was appended, never a record with wrong
 * bytes.
 *
 * <p><b>Pruning</b> rewrites the file with only the records a filter keeps: into a temporary file
 * next to it (a new journal id), fsynced, then atomically renamed over the journal (never
 * delete-then-rename, so a crash at any moment leaves either the old or the new file whole), then
 * the folder is fsynced. A temporary file left by a crash is removed at open.
 *
 * <p>Thread-safe: every method is synchronized (appends are cheap: they copy into a buffer).
 */
public final class AppendOnlyJournal implements AutoCloseable {
  /** Largest payload of one record, in bytes. */
  public static final int MAX_RECORD = 1 << 20;

  /** Bytes in front of each record's payload: its length and its CRC32C. */
  public static final int RECORD_OVERHEAD = 8;

  static final int HEADER_SIZE = 32;
  static final long MAGIC = 0x52474E4A524E4C31L; // "RGNJRNL1"
  static final int VERSION = 1;
  private static final String PRUNE_SUFFIX = ".prune";
  private static final SecureRandom IDS = new SecureRandom();

  private final Path file;
  private final ChannelOpener opener;
  private final ByteBuffer buffer;
  private FileChannel channel;
  private long journalId;
  /** Bytes written to the file (header and whole records); buffered bytes come after. */
  private long written;
  private long records;
  private final long cutAtOpen;
  private boolean closed;

  private AppendOnlyJournal(Path file, ChannelOpener opener, int bufferSize, long cutAtOpen) {
    this.file = file;
    this.opener = opener;
    this.buffer = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.BIG_ENDIAN);
    this.cutAtOpen = cutAtOpen;
  }

  /** Opens or creates the journal {@code file} with plain JDK channels and a 64 KiB buffer. */
  public static AppendOnlyJournal open(Path file) throws IOException {
    return open(file, ChannelOpener.DEFAULT, 64 * 1024);
  }

  /**
   * Opens the journal {@code file}, creating it (durably: written, fsynced, renamed into place,
   * folder fsynced) if it does not exist, and cuts off a torn or corrupt tail.
   *
   * @param opener opens every channel (the seam for fault injection)
   * @param bufferSize bytes appended records may occupy before they are written; at least {@link
   *     #RECORD_OVERHEAD} + 1 (a larger record is written directly)
   * @throws CorruptStoreException if the file exists but its header is not a journal header
   */
  public static AppendOnlyJournal open(Path file, ChannelOpener opener, int bufferSize)
      throws IOException {
    if (bufferSize <= RECORD_OVERHEAD) {
      throw new IllegalArgumentException("bufferSize " + bufferSize + " <= " + RECORD_OVERHEAD);
    }
    Path absolute = file.toAbsolutePath();
    Files.deleteIfExists(pruneFile(absolute));
    if (!Files.exists(absolute)) {
      writeFresh(absolute, opener, w -> {});
    }
    FileChannel ch =
        opener.open(absolute, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    try {
      long size = ch.size();
      long id = readHeader(ch, absolute, size);
      Scan scan = scan(ch, id, size);
      if (scan.end < size) {
        ch.truncate(scan.end);
        ch.force(false);
      }
      AppendOnlyJournal journal =
          new AppendOnlyJournal(absolute, opener, bufferSize, size - scan.end);
      journal.attach(ch, id, scan.end, scan.records);
      return journal;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The journal file. */
  public Path file() {
    return file;
  }

  /** Bytes cut off the end of the file at open (a torn or corrupt tail); 0 if none. */
  public long cutAtOpen() {
    return cutAtOpen;
  }

  /** Records in the journal, buffered ones included. */
  public synchronized long recordCount() {
    return records;
  }

  /** The journal's length in bytes, header and buffered records included. */
  public synchronized long size() {
    return written + buffer.position();
  }

  /**
   * Appends one record (buffered; written when the buffer fills, or by {@link #flush}/{@link
   * #sync}).
   *
   * @param payload 1..{@link #MAX_RECORD} bytes, read from its position to its limit (which is left
   *     unchanged)
   * @return the record's position: the offset of its length field, usable with {@link #rewind}
   */
  public synchronized long append(ByteBuffer payload) throws IOException {
    ensureOpen();
    int length = payload.remaining();
    if (length < 1 || length > MAX_RECORD) {
      throw new IllegalArgumentException(
          "record of " + length + " bytes outside 1.." + MAX_RECORD + ": " + file);
    }
    long position = size();
    int crc = recordCrc(journalId, length, payload.duplicate());
    if (buffer.remaining() < RECORD_OVERHEAD + length) {
      flush();
    }
    if (buffer.remaining() >= RECORD_OVERHEAD + length) {
      buffer.putInt(length).putInt(crc).put(payload.duplicate());
    } else {
      ByteBuffer head = ByteBuffer.allocate(RECORD_OVERHEAD).putInt(length).putInt(crc).flip();
      writeFully(head, written);
      writeFully(payload.duplicate(), written + RECORD_OVERHEAD);
      written += RECORD_OVERHEAD + length;
    }
    records++;
    return position;
  }

  /** Writes the buffered records to the file (no fsync: they may still be lost in a crash). */
  public synchronized void flush() throws IOException {
    ensureOpen();
    if (buffer.position() == 0) {
      return;
    }
    buffer.flip();
    int n = buffer.remaining();
    writeFully(buffer, written);
    buffer.clear();
    written += n;
  }

  /** Writes the buffered records and makes every record durable (one fdatasync). */
  public synchronized void sync() throws IOException {
    flush();
    channel.force(false);
  }

  /**
   * Calls {@code visitor} for every record, in the order appended, reading them through a mapping
   * of the file (buffered records are written first). The payload segment is read-only and valid
   * only during the call.
   */
  public synchronized void forEach(RecordVisitor visitor) throws IOException {
    flush();
    if (written == HEADER_SIZE) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment map = channel.map(FileChannel.MapMode.READ_ONLY, 0, written, arena);
      long at = HEADER_SIZE;
      while (at < written) {
        int length = map.get(INT, at);
        visitor.visit(at, map.asSlice(at + RECORD_OVERHEAD, length).asReadOnly());
        at += RECORD_OVERHEAD + length;
      }
    }
  }

  /**
   * Drops every record from {@code position} on (buffered ones included) by truncating the file
   * there.
   *
   * @param position a record's position (from {@link #append} or {@link #forEach}), or {@link
   *     #size()} for no change
   * @throws IllegalArgumentException if {@code position} is not the start of a record or the end
   */
  public synchronized void rewind(long position) throws IOException {
    flush();
    long count = 0;
    long at = HEADER_SIZE;
    ByteBuffer length = ByteBuffer.allocate(4);
    while (at < position && at < written) {
      length.clear();
      readFully(length, at);
      at += RECORD_OVERHEAD + length.getInt(0);
      count++;
    }
    if (at != position) {
      throw new IllegalArgumentException(
          "position " + position + " is not a record boundary of " + file + " (" + written + " bytes)");
    }
    channel.truncate(position);
    written = position;
    records = count;
  }

  /**
   * Rewrites the journal with only the records {@code keep} accepts, in their order: into a new
   * file (fsynced) that is then renamed over this one, then the folder is fsynced. Positions
   * change; the new ones are those {@link #forEach} reports.
   *
   * @return the number of records kept
   */
  public synchronized long prune(RecordFilter keep) throws IOException {
    flush();
    Objects.requireNonNull(keep);
    long[] kept = new long[1];
    long nextId = writeFresh(file, opener, out -> forEach((position, payload) -> {
      if (keep.keep(position, payload)) {
        out.append(payload.asByteBuffer());
        kept[0]++;
      }
    }));
    FileChannel old = channel;
    FileChannel next =
        opener.open(file, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    old.close();
    attach(next, nextId, next.size(), kept[0]);
    return kept[0];
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      flush();
    } finally {
      closed = true;
      channel.close();
    }
  }

  @Override
  public String toString() {
    return "AppendOnlyJournal(" + file + ")";
  }

  // ------------------------------------------------------------------ internals

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  /** Receives the records of a fresh file being written by {@link #writeFresh}. */
  private interface FreshWriter {
    void write(AppendOnlyJournal fresh) throws IOException;
  }

  private void attach(FileChannel ch, long id, long end, long recordCount) {
    this.channel = ch;
    this.journalId = id;
    this.written = end;
    this.records = recordCount;
  }

  /**
   * Writes a new journal (fresh id, records from {@code contents}) under the temporary name,
   * fsyncs it, renames it to {@code target} atomically and fsyncs the folder.
   *
   * @return the new journal's id
   */
  private static long writeFresh(Path target, ChannelOpener opener, FreshWriter contents)
      throws IOException {
    Path temp = pruneFile(target);
    Files.deleteIfExists(temp);
    long id = IDS.nextLong();
    FileChannel ch =
        opener.open(
            temp,
            EnumSet.of(
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
    AppendOnlyJournal fresh = new AppendOnlyJournal(temp, opener, 64 * 1024, 0);
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
      header.putLong(MAGIC).putInt(VERSION).putInt(HEADER_SIZE).putLong(id);
      CRC32C crc = new CRC32C();
      crc.update(header.array(), 0, 24);
      header.putInt((int) crc.getValue()).putInt(0).flip();
      fresh.channel = ch;
      fresh.journalId = id;
      fresh.writeFully(header, 0);
      fresh.written = HEADER_SIZE;
      contents.write(fresh);
      fresh.flush();
      ch.force(false);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(temp);
      throw e;
    }
    ch.close();
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = opener.open(target.getParent(), EnumSet.of(StandardOpenOption.READ))) {
      dir.force(true);
    }
    return id;
  }

  private static long readHeader(FileChannel ch, Path file, long size) throws IOException {
    if (size < HEADER_SIZE) {
      throw new CorruptStoreException(file, 0, "journal header cut short: " + size + " bytes");
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
    while (header.hasRemaining()) {
      if (ch.read(header, header.position()) < 0) {
        throw new CorruptStoreException(file, header.position(), "journal header cut short");
      }
    }
    header.flip();
    if (header.getLong(0) != MAGIC) {
      throw new CorruptStoreException(file, 0, "not a journal: bad magic");
    }
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, 24);
    if (header.getInt(24) != (int) crc.getValue()) {
      throw new CorruptStoreException(file, 24, "journal header checksum mismatch");
    }
    if (header.getInt(8) != VERSION) {
      throw new CorruptStoreException(file, 8, "unknown journal version " + header.getInt(8));
    }
    if (header.getInt(12) != HEADER_SIZE) {
      throw new CorruptStoreException(file, 12, "bad journal header size " + header.getInt(12));
    }
    return header.getLong(16);
  }

  /** How far the whole, valid records reach, and how many there are. */
  private record Scan(long end, long records) {}

  /** Finds the end of the last record, from the start, that is whole and passes its checksum. */
  private static Scan scan(FileChannel ch, long id, long size) throws IOException {
    if (size == HEADER_SIZE) {
      return new Scan(size, 0);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      long at = HEADER_SIZE;
      long count = 0;
      while (at + RECORD_OVERHEAD <= size) {
        int length = map.get(INT, at);
        if (length < 1 || length > MAX_RECORD || at + RECORD_OVERHEAD + length > size) {
          break;
        }
        ByteBuffer payload = map.asSlice(at + RECORD_OVERHEAD, length).asByteBuffer();
        if (map.get(INT, at + 4) != recordCrc(id, length, payload)) {
          break;
        }
        at += RECORD_OVERHEAD + length;
        count++;
      }
      return new Scan(at, count);
    }
  }

  private static int recordCrc(long id, int length, ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    ByteBuffer prefix = ByteBuffer.allocate(12).putLong(id).putInt(length).flip();
    crc.update(prefix);
    crc.update(payload);
    return (int) crc.getValue();
  }

  private static Path pruneFile(Path file) {
    return file.resolveSibling(file.getFileName() + PRUNE_SUFFIX);
  }

  private void writeFully(ByteBuffer src, long position) throws IOException {
    long at = position;
    while (src.hasRemaining()) {
      at += channel.write(src, at);
    }
  }

  private void readFully(ByteBuffer dst, long position) throws IOException {
    while (dst.hasRemaining()) {
      if (channel.read(dst, position + dst.position()) < 0) {
        throw new CorruptStoreException(file, position, "journal ends inside a record");
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("journal closed: " + file);
    }
  }
}
