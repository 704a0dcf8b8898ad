package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import io.regionstore.journal.AppendOnlyJournal;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache journal's records, replay rules, prune threshold and failure handling. */
class CacheJournalTest {
  private static final int BLOCK = 4096;
  @TempDir Path dir;
  private final Arena arena = Arena.ofAuto();

  private static final JournalSettings SETTINGS = new JournalSettings(ChannelOpener.DEFAULT, 512, 1000, 4);

  private CachedBlock block(ContentId id, long index, int slot) {
    return new CachedBlock(new BlockKey(id, index), slot, arena.allocate(BLOCK), BLOCK);
  }

  private static byte[] sum(int n) {
    byte[] s = new byte[BlockChecksum.LENGTH];
    s[0] = (byte) n;
    return s;
  }

  @Test
  void theLastRecordOfEachSlotWinsAndFreedSlotsAreNotClaimed() throws IOException {
    ContentId id = ContentId.ofBytes(new byte[10 * BLOCK]);
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      assertTrue(j.claims().isEmpty());
      j.adopt(List.of(), 4);
      j.filled(List.of(block(id, 0, 0), block(id, 1, 1), block(id, 2, 2)), List.of(sum(0), sum(1), sum(2)));
      j.freed(1);
      j.freed(0);
      j.filled(List.of(block(id, 5, 0)), List.of(sum(5)));
      j.filled(List.of(block(id, 6, 3)), java.util.Collections.<byte[]>singletonList(null)); // not recorded
      assertEquals(1 + 3 + 2 + 1, j.recordCount());
    }
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      List<CacheJournal.Claim> claims = j.claims();
      assertEquals(2, claims.size());
      assertEquals(2, claims.get(0).slot());
      assertEquals(new BlockKey(id, 2), claims.get(0).key());
      assertArrayEquals(sum(2), claims.get(0).checksum());
      assertEquals(0, claims.get(1).slot());
      assertEquals(new BlockKey(id, 5), claims.get(1).key());
      assertFalse(j.discarded());
      j.adopt(List.of(claims.get(1)), 4);
      assertEquals(2, j.recordCount(), "CONFIG and the one adopted record");
    }
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      assertEquals(1, j.claims().size());
      assertEquals(new BlockKey(id, 5), j.claims().getFirst().key());
    }
  }

  @Test
  void deadRecordsPastTheLiveOnesAndTheMinimumArePruned() throws IOException {
    ContentId id = ContentId.ofBytes(new byte[100 * BLOCK]);
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      j.adopt(List.of(), 2);
      j.filled(List.of(block(id, 0, 0), block(id, 1, 1)), List.of(sum(0), sum(1)));
      long index = 2;
      // each round: one dead FREED and one dead FILLED, live stays 2
      for (int round = 0; round < 2; round++) {
        j.freed(0);
        j.filled(List.of(block(id, index++, 0)), List.of(sum(1)));
      }
      assertEquals(0, j.prunes(), "4 dead: not more than the minimum of 4");
      assertEquals(1 + 2 + 4, j.recordCount());
      j.freed(1);
      j.filled(List.of(block(id, index, 1)), List.of(sum(1)));
      assertEquals(1, j.prunes(), "6 dead > 2 live and > 4");
      assertEquals(3, j.recordCount(), "CONFIG and the two live records");
    }
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      assertEquals(2, j.claims().size());
      assertEquals(new BlockKey(id, 3), j.claims().get(0).key());
      assertEquals(new BlockKey(id, 4), j.claims().get(1).key());
    }
  }

  @Test
  void aJournalOfAnotherBlockSizeIsDiscarded() throws IOException {
    ContentId id = ContentId.ofBytes(new byte[BLOCK]);
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      j.adopt(List.of(), 1);
      j.filled(List.of(block(id, 0, 0)), List.of(sum(0)));
    }
    try (CacheJournal j = CacheJournal.open(dir, 2 * BLOCK, SETTINGS)) {
      assertTrue(j.discarded());
      assertTrue(j.claims().isEmpty());
      j.adopt(List.of(), 1);
      assertEquals(1, j.recordCount(), "only the new CONFIG");
    }
    try (CacheJournal j = CacheJournal.open(dir, 2 * BLOCK, SETTINGS)) {
      assertFalse(j.discarded());
    }
  }

  @Test
  void anUnknownRecordDiscardsTheJournal() throws IOException {
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      j.adopt(List.of(), 1);
    }
    try (AppendOnlyJournal raw = AppendOnlyJournal.open(dir.resolve(CacheJournal.FILE_NAME))) {
      raw.append(ByteBuffer.wrap(new byte[] {9, 0, 0, 0, 0}));
    }
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      assertTrue(j.discarded());
    }
  }

  @Test
  void aWriteErrorStopsTheRecordingAndKeepsWhatWasWritten() throws IOException {
    ContentId id = ContentId.ofBytes(new byte[4 * BLOCK]);
    boolean[] fail = {false};
    ChannelOpener failing =
        (path, options) ->
            new ForwardingFileChannel(FileChannel.open(path, options)) {
              @Override
              protected void beforeCall(String operation, long position) throws IOException {
                if (fail[0] && operation.equals("write")) {
                  throw new IOException("disk gone");
                }
              }
            };
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, new JournalSettings(failing, 512, 1000, 4))) {
      j.adopt(List.of(), 4);
      j.filled(List.of(block(id, 0, 0)), List.of(sum(0)));
      assertNull(j.failure());
      fail[0] = true;
      j.filled(List.of(block(id, 1, 1)), List.of(sum(1)));
      assertNotNull(j.failure());
      assertEquals("disk gone", j.failure().getMessage());
      long records = j.recordCount();
      j.freed(0); // ignored from now on
      assertEquals(records, j.recordCount());
    }
    try (CacheJournal j = CacheJournal.open(dir, BLOCK, SETTINGS)) {
      List<BlockKey> keys = new ArrayList<>();
      j.claims().forEach(c -> keys.add(c.key()));
      assertEquals(List.of(new BlockKey(id, 0)), keys);
    }
  }
}
