package io.regionstore.pin;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.events.ReaderPinEvent;
import io.regionstore.io.ChannelOpener;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;

/**
 * A small file, mapped shared by every process that opens the store, in which read-only openers
 * record the oldest catalog generation they may still read, as LMDB's reader table does.
 *
 * <p>The writer reads it before it reuses space: an extent freed at generation {@code f} stays
 * unused while any live reader pins a generation below {@code f}. A slot belongs to a process,
 * identified by pid and start time; a slot whose process is gone (killed, crashed) pins nothing
 * and is taken over by the next reader, so a dead reader never holds space forever.
 *
 * <p>Layout: magic (8) | version (4) | slot count (4) | padding to 64; then {@value #SLOTS}
 * slots of 32 bytes: owner pid (8, 0 = free) | owner start time, epoch ms (8) | pinned generation
 * (8, 0 = none) | reserved (8). Fields are read and written with volatile semantics and claimed by
 * compare-and-set, which works across processes on a shared mapping.
 *
 * <p>Thread-safe.
 */
public final class ReaderTable implements AutoCloseable {
  /** File name inside the store folder. */
  public static final String FILE_NAME = "regionstore.readers";
  /** Number of reader slots: at most this many read-only openers at once. */
  public static final int SLOTS = 126;

  private static final long MAGIC = 0x52474E5244525331L; // "RGNRDRS1"
  private static final int VERSION = 1;
  private static final int HEADER = 64;
  private static final int SLOT_SIZE = 32;
  private static final int FILE_SIZE = HEADER + SLOTS * SLOT_SIZE;
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private final Path path;
  private final Arena arena;
  private final MemorySegment table;
  private final long selfPid = ProcessHandle.current().pid();
  private final long selfStart = startMillis(ProcessHandle.current());

  private ReaderTable(Path path, Arena arena, MemorySegment table) {
    this.path = path;
    this.arena = arena;
    this.table = table;
  }

  /**
   * Creates an empty reader table unless one exists. The table holds nothing durable (only pins of
   * live processes), so a store copied without it, such as a data file shipped alone, gets a new
   * one. The file appears whole or not at all: it is written under a temporary name and linked to
   * its final name, which fails if another process got there first.
   */
  public static void createIfMissing(Path dir, ChannelOpener opener) throws IOException {
    Path path = dir.resolve(FILE_NAME);
    if (Files.exists(path)) {
      return;
    }
    Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
    try {
      try (FileChannel ch = opener.open(tmp, EnumSet.of(StandardOpenOption.WRITE))) {
        ByteBuffer bytes = ByteBuffer.allocate(FILE_SIZE);
        bytes.putLong(MAGIC).putInt(VERSION).putInt(SLOTS).clear();
        while (bytes.hasRemaining()) {
          ch.write(bytes, bytes.position());
        }
      }
      Files.createLink(path, tmp);
    } catch (FileAlreadyExistsException raced) {
      // another opener created it meanwhile: use theirs
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Maps the reader table of a store, read-write (read-only openers write their pins too),
   * creating it if missing.
   *
   * @throws CorruptStoreException if the file has the wrong size or header
   */
  public static ReaderTable open(Path dir, ChannelOpener opener) throws IOException {
    createIfMissing(dir, opener);
    Path path = dir.resolve(FILE_NAME);
    try (FileChannel ch =
        opener.open(path, EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
      if (ch.size() != FILE_SIZE) {
        throw new CorruptStoreException(path, -1, "reader table is " + ch.size() + " bytes, expected " + FILE_SIZE);
      }
      Arena arena = Arena.ofShared();
      MemorySegment table = ch.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE, arena);
      long magic = table.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0);
      if (magic != MAGIC) {
        arena.close();
        throw new CorruptStoreException(path, 0, "bad reader table magic 0x" + Long.toHexString(magic));
      }
      return new ReaderTable(path, arena, table);
    }
  }

  /**
   * Claims a slot for this process.
   *
   * @throws IOException if all slots belong to live processes
   */
  public Slot claim() throws IOException {
    for (int i = 0; i < SLOTS; i++) {
      long at = slotOffset(i);
      long pid = (long) LONG.getVolatile(table, at);
      if (pid != 0 && isAlive(pid, (long) LONG.getVolatile(table, at + 8))) {
        continue;
      }
      if (LONG.compareAndSet(table, at, pid, selfPid)) {
        LONG.setVolatile(table, at + 16, 0L);
        LONG.setVolatile(table, at + 8, selfStart);
        return new Slot(i, at);
      }
    }
    throw new IOException(
        "all " + SLOTS + " reader slots of " + path + " belong to live processes");
  }

  /**
   * The oldest generation any live reader pins, or {@link Long#MAX_VALUE} if none. Slots of dead
   * processes are ignored.
   */
  public long minPinnedGeneration() {
    VarHandle.fullFence();
    long min = Long.MAX_VALUE;
    for (int i = 0; i < SLOTS; i++) {
      long at = slotOffset(i);
      long pid = (long) LONG.getVolatile(table, at);
      if (pid == 0) {
        continue;
      }
      long generation = (long) LONG.getVolatile(table, at + 16);
      if (generation != 0 && generation < min && isAlive(pid, (long) LONG.getVolatile(table, at + 8))) {
        min = generation;
      }
    }
    return min;
  }

  /** How many slots hold a pin of a live process. */
  public int livePins() {
    int n = 0;
    for (int i = 0; i < SLOTS; i++) {
      long at = slotOffset(i);
      long pid = (long) LONG.getVolatile(table, at);
      if (pid != 0
          && (long) LONG.getVolatile(table, at + 16) != 0
          && isAlive(pid, (long) LONG.getVolatile(table, at + 8))) {
        n++;
      }
    }
    return n;
  }

  private boolean isAlive(long pid, long startMillis) {
    if (pid == selfPid) {
      return startMillis == selfStart;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    long actual = startMillis(handle.get());
    // Without a start time from the OS the pid alone must do: assume alive, never reuse early.
    return actual == 0 || startMillis == 0 || actual == startMillis;
  }

  private static long startMillis(ProcessHandle handle) {
    return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  private static long slotOffset(int slot) {
    return HEADER + (long) slot * SLOT_SIZE;
  }

  @Override
  public void close() {
    arena.close();
  }

  /** One process's slot. Thread-safe. */
  public final class Slot implements AutoCloseable {
    private final int index;
    private final long at;
    /** The generation last published (0: none); guarded by this slot. */
    private long pinned;

    private Slot(int index, long at) {
      this.index = index;
      this.at = at;
    }

    /**
     * Publishes {@code generation} as the oldest this process may read. A change is recorded as a
     * {@link ReaderPinEvent}.
     */
    public synchronized void pin(long generation) {
      ReaderPinEvent event = new ReaderPinEvent();
      event.begin();
      LONG.setVolatile(table, at + 16, generation);
      VarHandle.fullFence();
      changed(event, generation);
    }

    /** Frees the slot. */
    @Override
    public synchronized void close() {
      ReaderPinEvent event = new ReaderPinEvent();
      event.begin();
      LONG.setVolatile(table, at + 16, 0L);
      LONG.setVolatile(table, at + 8, 0L);
      LONG.setVolatile(table, at, 0L);
      changed(event, 0);
    }

    private void changed(ReaderPinEvent event, long generation) {
      if (generation != pinned) {
        event.finish(path, index, selfPid, pinned, generation);
        pinned = generation;
      }
    }
  }
}
