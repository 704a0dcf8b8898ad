package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockTableTest {
  private static final int BLOCK = 4096;
  private static final ContentId CONTENT = ContentId.of(new byte[32], 20L * BLOCK);
  @TempDir Path dir;

  private static List<Long> indexes(List<CachedBlock> blocks) {
    return blocks.stream().map(CachedBlock::index).toList();
  }

  @Test
  void missingBlocksAreGroupedIntoRunsOfAdjacentBlocksAndPresentOnesArePinned() throws IOException {
    try (BlockTable table = new BlockTable(SlotFile.open(dir, BLOCK, 8, 8), BLOCK, null)) {
      Reservation first = table.reserve(CONTENT, 2, 1, true);
      table.filled(first.runs().getFirst());
      Reservation r = table.reserve(CONTENT, 0, 5, true);
      assertEquals(List.of(2L), indexes(r.present()));
      assertEquals(2, r.present().getFirst().pins(), "pinned by both reservations");
      assertEquals(2, r.runs().size());
      assertEquals(List.of(0L, 1L), indexes(r.runs().get(0)));
      assertEquals(List.of(3L, 4L), indexes(r.runs().get(1)));
      assertSame(r.runs().get(0).get(1), table.lookup(new BlockKey(CONTENT, 1)), "visible while filling");
      Reservation prefetch = table.reserve(CONTENT, 0, 6, false);
      assertEquals(List.of(), prefetch.present());
      assertEquals(List.of(List.of(5L)), prefetch.runs().stream().map(BlockTableTest::indexes).toList());
    }
  }

  @Test
  void aFailedRunLeavesTheTableAndItsSlotsAreReusedAsAnExactRun() throws IOException {
    try (BlockTable table = new BlockTable(SlotFile.open(dir, BLOCK, 8, 8), BLOCK, null)) {
      table.filled(table.reserve(CONTENT, 0, 2, true).runs().getFirst());
      List<CachedBlock> run = table.reserve(CONTENT, 5, 3, true).runs().getFirst();
      assertEquals(List.of(2, 3, 4), run.stream().map(b -> b.slot).toList());
      table.failed(run, new FetchFailedException("fetch failed", new IOException("x")));
      assertNull(table.lookup(new BlockKey(CONTENT, 5)));
      assertEquals(Map.of(2, 3), table.runsForTest().runs());
      assertEquals(2, table.counts()[0]);
      List<CachedBlock> again = table.reserve(CONTENT, 10, 3, true).runs().getFirst();
      assertEquals(List.of(2, 3, 4), again.stream().map(b -> b.slot).toList(), "the free run of exactly 3");
    }
  }

  @Test
  void aReservationIsAllOrNothing() throws IOException {
    try (BlockTable table = new BlockTable(SlotFile.open(dir, BLOCK, 4, 4), BLOCK, null)) {
      Reservation held = table.reserve(CONTENT, 0, 3, true);
      table.filled(held.runs().getFirst());
      Reservation present = table.reserve(CONTENT, 0, 1, true);
      assertEquals(2, present.present().getFirst().pins());
      assertThrows(CacheFullException.class, () -> table.reserve(CONTENT, 0, 6, true));
      assertEquals(2, present.present().getFirst().pins(), "the failed reservation released its pins");
      assertNull(table.lookup(new BlockKey(CONTENT, 3)));
      assertEquals(3, table.counts()[0]);
      assertEquals(Map.of(3, 1), table.runsForTest().runs(), "the slot it had taken is free again");
    }
  }

  @Test
  void aClosedTableRefusesReservations() throws IOException {
    BlockTable table = new BlockTable(SlotFile.open(dir, BLOCK, 4, 4), BLOCK, null);
    table.close();
    IOException e = assertThrows(IOException.class, () -> table.reserve(CONTENT, 0, 1, true));
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
  }

  @Test
  void adoptedBlocksAreFilledUnpinnedAndTheSlotsBetweenThemAreFree() throws IOException {
    try (BlockTable table = new BlockTable(SlotFile.open(dir, BLOCK, 8, 8), BLOCK, null)) {
      byte[] none = new byte[BlockChecksum.LENGTH];
      table.adopt(
          List.of(
              new CacheJournal.Claim(10, 1, new BlockKey(CONTENT, 7), none),
              new CacheJournal.Claim(20, 4, new BlockKey(CONTENT, 3), none)));
      CachedBlock b = table.lookup(new BlockKey(CONTENT, 7));
      assertTrue(b.isFilled());
      assertEquals(0, b.pins());
      assertEquals(1, b.slot);
      assertEquals(4, table.lookup(new BlockKey(CONTENT, 3)).slot);
      assertEquals(5, table.runsForTest().bump(), "past the highest adopted slot");
      assertEquals(Map.of(0, 1, 2, 2), table.runsForTest().runs(), "the slots between are free");
      assertEquals(2, table.counts()[0]);
    }
  }
}
