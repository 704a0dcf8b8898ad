package io.regionstore.cache;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.journal.AppendOnlyJournal;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The persistent record of which slot holds which block: an {@link AppendOnlyJournal} of three
 * record types (big-endian payloads):
 *
 * <pre>
 * CONFIG  0 | format version (4) | block size (4)                                          9 bytes
 * FILLED  1 | slot (4) | content SHA-256 (32) | content length (8) | block index (8)
 *           | block checksum (16, {@link BlockChecksum})                                   69 bytes
 * FREED   2 | slot (4)                                                                      5 bytes
 * </pre>
 *
 * <p>The first record is CONFIG; a journal whose first record is not a CONFIG of this format and
 * block size, or that holds a record this code cannot parse, is discarded whole (the cache opens
 * cold). Replay: the last FILLED or FREED record of a slot wins. A FILLED record only claims: the
 * caller adopts the slot only if its bytes match the checksum ({@link #adopt}).
 *
 * <p>FILLED is appended after the fetch wrote the slot (the block still pinned, so it cannot be
 * evicted first); FREED under the slot table's lock when the block is evicted, before the slot is
 * refilled. So for each slot the journal order is the order of its occupancies. The journal is
 * flushed (written, no fsync) after each fetch's records, fsynced every {@link
 * JournalSettings#syncEvery()} blocks and at close, and pruned to CONFIG plus the live FILLED
 * records once the dead ones exceed both the live ones and {@link JournalSettings#minDeadToPrune()}.
 *
 * <p>A prune runs in the fetching thread that crossed the threshold, holding this object's monitor:
 * an eviction meanwhile (which appends FREED under the table's lock) waits for it, so misses stall
 * for one fsynced rewrite of at most {@code 1 + 2 * max(slots, minDeadToPrune)} records, once per
 * that many evictions. Hits never touch the journal.
 *
 * <p>A journal I/O error stops the recording (the cache goes on, unrecorded blocks are dropped at
 * the next open); {@link #failure()} tells. Thread-safe: every method is synchronized.
 */
final class CacheJournal implements AutoCloseable {
  /** The journal's name inside the cache folder. */
  static final String FILE_NAME = "regionstore.cache.journal";

  static final byte CONFIG = 0;
  static final byte FILLED = 1;
  static final byte FREED = 2;
  static final int FORMAT = 1;
  static final int CONFIG_SIZE = 9;
  static final int FILLED_SIZE = 1 + 4 + ContentId.DIGEST_LENGTH + 8 + 8 + BlockChecksum.LENGTH;
  static final int FREED_SIZE = 5;

  /** A FILLED record that won its slot at replay: the block the slot should hold. */
  record Claim(long position, int slot, BlockKey key, byte[] checksum) {}

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final AppendOnlyJournal journal;
  private final JournalSettings settings;
  private final int blockSize;
  private final List<Claim> claims;
  private final boolean discarded;
  /** Whether the journal starts with this cache's CONFIG record. */
  private final boolean configured;
  /** Position of each slot's live FILLED record, or -1. */
  private long[] live = new long[0];
  private int liveCount;
  private long configPosition = -1;
  private int unsynced;
  private long prunes;
  private IOException failure;

  private CacheJournal(
      AppendOnlyJournal journal, JournalSettings settings, int blockSize, Replay replay) {
    this.journal = journal;
    this.settings = settings;
    this.blockSize = blockSize;
    this.configured = replay.configured && !replay.foreign;
    this.discarded = replay.foreign;
    this.claims = configured ? replay.claims() : List.of();
  }

  /**
   * Opens (or creates) the journal in {@code folder} and replays it. A journal whose header is not
   * a journal's is replaced by an empty one.
   */
  static CacheJournal open(Path folder, int blockSize, JournalSettings settings) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    AppendOnlyJournal journal;
    try {
      journal = AppendOnlyJournal.open(file, settings.opener(), settings.bufferSize());
    } catch (CorruptStoreException e) {
      Files.delete(file); // a cache may always start cold
      journal = AppendOnlyJournal.open(file, settings.opener(), settings.bufferSize());
    }
    try {
      Replay replay = new Replay(blockSize);
      journal.forEach(replay::visit);
      return new CacheJournal(journal, settings, blockSize, replay);
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
  }

  /** The slots the journal says hold a block (last record per slot wins), oldest record first. */
  List<Claim> claims() {
    return claims;
  }

  /** Whether the journal was of another format or block size and its records were ignored. */
  boolean discarded() {
    return discarded;
  }

  /** Bytes cut off the journal's end at open (a torn tail). */
  long cutAtOpen() {
    return journal.cutAtOpen();
  }

  /**
   * Rewrites the journal to CONFIG and the FILLED records of {@code adopted} (the claims whose
   * bytes were verified), fsynced; from then on it records this cache's changes.
   */
  synchronized void adopt(Collection<Claim> adopted, int slots) throws IOException {
    Set<Long> keep = new HashSet<>();
    for (Claim c : adopted) {
      keep.add(c.position());
    }
    if (configured) {
      boolean[] first = {true};
      journal.prune((position, payload) -> {
        boolean isConfig = first[0];
        first[0] = false;
        return isConfig || keep.contains(position);
      });
    } else {
      journal.prune((position, payload) -> false);
      journal.append(ByteBuffer.allocate(CONFIG_SIZE).put(CONFIG).putInt(FORMAT).putInt(blockSize).flip());
      journal.sync();
    }
    live = new long[Math.max(1, slots)];
    findLive();
  }

  /** Positions changed in a rewrite: finds CONFIG and the live FILLED records again. */
  private void findLive() throws IOException {
    Arrays.fill(live, -1);
    liveCount = 0;
    journal.forEach((position, payload) -> {
      if (payload.get(ValueLayout.JAVA_BYTE, 0) == CONFIG) {
        configPosition = position;
      } else {
        int slot = payload.get(INT, 1);
        ensureSlot(slot);
        live[slot] = position;
        liveCount++;
      }
    });
  }

  /**
   * Records that the slots of {@code blocks} now hold them, with their checksums; flushes, and
   * fsyncs or prunes when due. Blocks whose checksum is null are left out.
   */
  synchronized void filled(List<CachedBlock> blocks, List<byte[]> checksums) {
    if (failure != null) {
      return;
    }
    try {
      ByteBuffer record = ByteBuffer.allocate(FILLED_SIZE);
      for (int i = 0; i < blocks.size(); i++) {
        CachedBlock b = blocks.get(i);
        byte[] sum = checksums.get(i);
        if (sum == null) {
          continue;
        }
        record.clear();
        record.put(FILLED).putInt(b.slot).put(b.key.content().sha256()).putLong(b.key.content().length())
            .putLong(b.key.index()).put(sum).flip();
        long position = journal.append(record);
        ensureSlot(b.slot);
        if (live[b.slot] < 0) {
          liveCount++;
        }
        live[b.slot] = position;
        unsynced++;
      }
      if (unsynced >= settings.syncEvery()) {
        journal.sync();
        unsynced = 0;
      } else {
        journal.flush();
      }
      long dead = journal.recordCount() - 1 - liveCount;
      if (dead > liveCount && dead > settings.minDeadToPrune()) {
        prune();
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  /** Records that {@code slot} no longer holds its block (evicted); buffered, not flushed. */
  synchronized void freed(int slot) {
    if (failure != null) {
      return;
    }
    try {
      journal.append(ByteBuffer.allocate(FREED_SIZE).put(FREED).putInt(slot).flip());
      ensureSlot(slot);
      if (live[slot] >= 0) {
        live[slot] = -1;
        liveCount--;
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void prune() throws IOException {
    Set<Long> keep = new HashSet<>();
    keep.add(configPosition);
    for (long p : live) {
      if (p >= 0) {
        keep.add(p);
      }
    }
    journal.prune((position, payload) -> keep.contains(position));
    prunes++;
    unsynced = 0; // the rewrite was fsynced
    findLive();
  }

  private void ensureSlot(int slot) {
    if (slot >= live.length) {
      int from = live.length;
      live = Arrays.copyOf(live, Math.max(slot + 1, 2 * from));
      Arrays.fill(live, from, live.length, -1);
    }
  }

  private void fail(Exception e) {
    failure = e instanceof IOException io ? io : new IOException("cache journal " + journal.file() + " failed", e);
  }

  /** The error that stopped the recording, or null. */
  synchronized IOException failure() {
    return failure;
  }

  /** Records in the journal now (CONFIG included). */
  synchronized long recordCount() {
    return journal.recordCount();
  }

  /** The journal's size in bytes. */
  synchronized long size() {
    return journal.size();
  }

  /** Prunes so far. */
  synchronized long prunes() {
    return prunes;
  }

  /** The journal file. */
  Path file() {
    return journal.file();
  }

  /** Fsyncs the journal (unless it failed) and closes it. */
  @Override
  public synchronized void close() throws IOException {
    if (failure == null) {
      try {
        journal.sync();
      } catch (IOException e) {
        fail(e);
      }
    }
    try {
      journal.close();
    } catch (IOException e) {
      if (failure == null) {
        throw e;
      }
      // the journal already failed: what reached the disk is a prefix, which the next open reads
    }
  }

  /** Reads records in order: the claims per slot, and whether the journal is this cache's. */
  private static final class Replay {
    private final int blockSize;
    private final Map<Integer, Claim> bySlot = new HashMap<>();
    boolean configured;
    boolean foreign;

    Replay(int blockSize) {
      this.blockSize = blockSize;
    }

    void visit(long position, MemorySegment payload) {
      if (foreign) {
        return;
      }
      byte type = payload.get(ValueLayout.JAVA_BYTE, 0);
      long size = payload.byteSize();
      if (!configured) {
        configured = type == CONFIG && size == CONFIG_SIZE
            && payload.get(INT, 1) == FORMAT && payload.get(INT, 5) == blockSize;
        foreign = !configured;
        return;
      }
      if (type == FILLED && size == FILLED_SIZE) {
        int slot = payload.get(INT, 1);
        byte[] digest = payload.asSlice(5, ContentId.DIGEST_LENGTH).toArray(ValueLayout.JAVA_BYTE);
        long length = payload.get(LONG, 37);
        long index = payload.get(LONG, 45);
        byte[] sum = payload.asSlice(53, BlockChecksum.LENGTH).toArray(ValueLayout.JAVA_BYTE);
        if (slot < 0 || length < 0 || index < 0) {
          foreign = true;
          return;
        }
        bySlot.put(slot, new Claim(position, slot, new BlockKey(ContentId.of(digest, length), index), sum));
      } else if (type == FREED && size == FREED_SIZE) {
        bySlot.remove(payload.get(INT, 1));
      } else {
        foreign = true;
      }
    }

    List<Claim> claims() {
      List<Claim> out = new ArrayList<>(bySlot.values());
      out.sort((a, b) -> Long.compare(a.position(), b.position()));
      return out;
    }
  }
}
