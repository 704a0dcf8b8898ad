package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  private static final int BLOCK = 4096;
  @TempDir Path dir;

  @Test
  void onlyClaimsWhoseSlotExistsBlockFitsKeyIsNewestAndBytesMatchAreKept() throws IOException {
    TestContent c = new TestContent(1, 3 * BLOCK + 10, BLOCK);
    try (SlotFile file = SlotFile.open(dir, BLOCK, 4, 4)) {
      for (int i = 0; i < 4; i++) {
        file.slot(i).copyFrom(java.lang.foreign.MemorySegment.ofArray(java.util.Arrays.copyOf(c.block(i), BLOCK)));
      }
      byte[] sum0 = BlockChecksum.of(file.slot(0));
      byte[] sum1 = BlockChecksum.of(file.slot(1));
      byte[] sum3 = BlockChecksum.of(file.slot(3).asSlice(0, 10));
      List<CacheJournal.Claim> claims =
          List.of( // oldest first, as the journal replays them
              new CacheJournal.Claim(50, 1, new BlockKey(c.id, 3), sum1), // key claimed again later (300)
              new CacheJournal.Claim(100, 0, new BlockKey(c.id, 0), sum0), // good
              new CacheJournal.Claim(200, 1, new BlockKey(c.id, 1), sum0), // bytes do not match
              new CacheJournal.Claim(300, 3, new BlockKey(c.id, 3), sum3), // good: the short last block
              new CacheJournal.Claim(400, 9, new BlockKey(c.id, 1), sum1), // slot past the file
              new CacheJournal.Claim(500, 2, new BlockKey(c.id, 4), sum1)); // block past the content
      Recovery r = Recovery.verify(claims, file, BLOCK);
      assertEquals(List.of(100L, 300L), r.adopted().stream().map(CacheJournal.Claim::position).toList());
      assertEquals(4, r.dropped());
    }
  }
}
