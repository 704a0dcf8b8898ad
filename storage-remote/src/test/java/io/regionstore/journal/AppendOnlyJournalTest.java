package io.regionstore.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.errors.CorruptStoreException;
import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendOnlyJournalTest {
  @TempDir Path dir;

  private static ByteBuffer text(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> read(AppendOnlyJournal journal) throws IOException {
    List<String> out = new ArrayList<>();
    journal.forEach(
        (position, payload) ->
            out.add(new String(payload.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)));
    return out;
  }

  private static List<String> records(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("record-" + i + "-" + "x".repeat(i % 7));
    }
    return out;
  }

  @Test
  void recordsComeBackInOrderWithTheirPositionsAfterReopen() throws IOException {
    Path file = dir.resolve("j");
    List<Long> positions = new ArrayList<>();
    List<String> expected = records(1000);
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file, ChannelOpener.DEFAULT, 256)) {
      assertEquals(AppendOnlyJournal.HEADER_SIZE, j.size());
      long expectedPosition = AppendOnlyJournal.HEADER_SIZE;
      for (String r : expected) {
        long p = j.append(text(r));
        assertEquals(expectedPosition, p);
        positions.add(p);
        expectedPosition += AppendOnlyJournal.RECORD_OVERHEAD + r.length();
      }
      assertEquals(expectedPosition, j.size());
      assertEquals(1000, j.recordCount());
      assertEquals(expected, read(j));
      j.sync();
    }
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      assertEquals(0, j.cutAtOpen());
      assertEquals(1000, j.recordCount());
      assertEquals(expected, read(j));
      List<Long> seen = new ArrayList<>();
      j.forEach((position, payload) -> seen.add(position));
      assertEquals(positions, seen);
    }
  }

  @Test
  void closeWritesBufferedRecords() throws IOException {
    Path file = dir.resolve("j");
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      j.append(text("a"));
      j.append(text("bb"));
    }
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      assertEquals(List.of("a", "bb"), read(j));
    }
  }

  @Test
  void aRecordLargerThanTheBufferIsWrittenDirectly() throws IOException {
    Path file = dir.resolve("j");
    byte[] big = new byte[5000];
    new Random(7).nextBytes(big);
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file, ChannelOpener.DEFAULT, 64)) {
      j.append(text("before"));
      j.append(ByteBuffer.wrap(big));
      j.append(text("after"));
    }
    List<byte[]> got = new ArrayList<>();
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      j.forEach((position, payload) -> got.add(payload.toArray(ValueLayout.JAVA_BYTE)));
    }
    assertEquals(3, got.size());
    assertArrayEquals("before".getBytes(StandardCharsets.UTF_8), got.get(0));
    assertArrayEquals(big, got.get(1));
    assertArrayEquals("after".getBytes(StandardCharsets.UTF_8), got.get(2));
  }

  @Test
  void aTornTailIsCutAtTheLastWholeRecordForEveryCutLength() throws IOException {
    Path file = dir.resolve("j");
    List<String> expected = records(5);
    List<Long> ends = new ArrayList<>();
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      for (String r : expected) {
        j.append(text(r));
        ends.add(j.size());
      }
    }
    byte[] whole = Files.readAllBytes(file);
    for (int cut = AppendOnlyJournal.HEADER_SIZE; cut < whole.length; cut++) {
      Files.write(file, java.util.Arrays.copyOf(whole, cut));
      int wholeRecords = 0;
      while (wholeRecords < ends.size() && ends.get(wholeRecords) <= cut) {
        wholeRecords++;
      }
      long validEnd = wholeRecords == 0 ? AppendOnlyJournal.HEADER_SIZE : ends.get(wholeRecords - 1);
      try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
        assertEquals(cut - validEnd, j.cutAtOpen(), "cut at " + cut);
        assertEquals(expected.subList(0, wholeRecords), read(j), "cut at " + cut);
        assertEquals(validEnd, Files.size(file), "the torn tail is removed from the file");
        j.append(text("next"));
      }
      try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
        List<String> after = new ArrayList<>(expected.subList(0, wholeRecords));
        after.add("next");
        assertEquals(after, read(j), "cut at " + cut);
      }
    }
  }

  @Test
  void aFlippedByteInARecordCutsTheJournalThere() throws IOException {
    Path file = dir.resolve("j");
    List<String> expected = records(4);
    List<Long> starts = new ArrayList<>();
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      for (String r : expected) {
        starts.add(j.append(text(r)));
      }
    }
    byte[] whole = Files.readAllBytes(file);
    for (int at = AppendOnlyJournal.HEADER_SIZE; at < whole.length; at++) {
      byte[] bad = whole.clone();
      bad[at] ^= 0x10;
      Files.write(file, bad);
      int hit = 0;
      while (hit + 1 < starts.size() && starts.get(hit + 1) <= at) {
        hit++;
      }
      try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
        assertEquals(expected.subList(0, hit), read(j), "flip at " + at);
        assertEquals(whole.length - starts.get(hit), j.cutAtOpen(), "flip at " + at);
      }
    }
  }

  @Test
  void recordsCopiedFromAnotherJournalNeverValidate() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    try (AppendOnlyJournal j = AppendOnlyJournal.open(a)) {
      j.append(text("from a"));
    }
    try (AppendOnlyJournal j = AppendOnlyJournal.open(b)) {
      j.append(text("from b"));
    }
    byte[] recordOfA = java.util.Arrays.copyOfRange(Files.readAllBytes(a), AppendOnlyJournal.HEADER_SIZE, (int) Files.size(a));
    Files.write(b, recordOfA, java.nio.file.StandardOpenOption.APPEND);
    try (AppendOnlyJournal j = AppendOnlyJournal.open(b)) {
      assertEquals(List.of("from b"), read(j));
      assertEquals(recordOfA.length, j.cutAtOpen());
    }
  }

  @Test
  void rewindDropsEveryRecordFromThePosition() throws IOException {
    Path file = dir.resolve("j");
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      j.append(text("one"));
      long two = j.append(text("two"));
      j.append(text("three"));
      assertThrows(IllegalArgumentException.class, () -> j.rewind(two + 1));
      assertThrows(IllegalArgumentException.class, () -> j.rewind(j.size() + 1));
      j.rewind(j.size());
      assertEquals(3, j.recordCount());
      j.rewind(two);
      assertEquals(1, j.recordCount());
      assertEquals(two, j.size());
      j.append(text("four"));
      assertEquals(List.of("one", "four"), read(j));
    }
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      assertEquals(List.of("one", "four"), read(j));
      assertEquals(0, j.cutAtOpen());
    }
  }

  @Test
  void pruneKeepsExactlyTheChosenRecordsInOrder() throws IOException {
    Path file = dir.resolve("j");
    List<String> all = records(300);
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file, ChannelOpener.DEFAULT, 128)) {
      for (String r : all) {
        j.append(text(r));
      }
      long kept = j.prune((position, payload) -> payload.get(ValueLayout.JAVA_BYTE, payload.byteSize() - 1) != 'x');
      List<String> expected = all.stream().filter(r -> !r.endsWith("x")).toList();
      assertEquals(expected.size(), kept);
      assertEquals(expected.size(), j.recordCount());
      assertEquals(expected, read(j));
      j.append(text("after prune"));
    }
    assertFalse(Files.exists(dir.resolve("j.prune")));
    try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
      List<String> expected = new ArrayList<>(all.stream().filter(r -> !r.endsWith("x")).toList());
      expected.add("after prune");
      assertEquals(expected, read(j));
      assertEquals(0, j.cutAtOpen());
    }
  }

  /** Fails every channel call from the Nth on, as if the machine stopped there. */
  private static final class CrashingOpener implements ChannelOpener {
    final AtomicLong calls = new AtomicLong();
    final long crashAt;

    CrashingOpener(long crashAt) {
      this.crashAt = crashAt;
    }

    @Override
    public FileChannel open(Path path, java.util.Set<? extends java.nio.file.OpenOption> options)
        throws IOException {
      if (calls.incrementAndGet() >= crashAt) {
        throw new IOException("crash at call " + crashAt);
      }
      return new ForwardingFileChannel(FileChannel.open(path, options)) {
        @Override
        protected void beforeCall(String operation, long position) throws IOException {
          if (calls.incrementAndGet() >= crashAt) {
            throw new IOException("crash at call " + crashAt + " (" + operation + ")");
          }
        }
      };
    }
  }

  @Test
  void aCrashAtAnyCallOfPruneLeavesTheOldOrTheNewJournalWhole() throws IOException {
    List<String> all = records(40);
    List<String> kept = all.subList(20, 40);
    boolean sawOld = false;
    boolean sawNew = false;
    for (long crashAt = 1; ; crashAt++) {
      Path file = dir.resolve("crash-" + crashAt);
      try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
        for (String r : all) {
          j.append(text(r));
        }
        j.sync();
      }
      CrashingOpener opener = new CrashingOpener(crashAt);
      boolean pruned;
      try (AppendOnlyJournal j = AppendOnlyJournal.open(file, opener, 64 * 1024)) {
        long[] index = {0};
        j.prune((position, payload) -> index[0]++ >= 20);
        pruned = true;
      } catch (IOException e) {
        assertTrue(e.getMessage().startsWith("crash at call"), e.toString());
        pruned = false;
      }
      try (AppendOnlyJournal j = AppendOnlyJournal.open(file)) {
        List<String> got = read(j);
        assertEquals(0, j.cutAtOpen());
        if (got.equals(all)) {
          sawOld = true;
        } else {
          assertEquals(kept, got, "crash at call " + crashAt);
          sawNew = true;
        }
      }
      assertFalse(Files.exists(dir.resolve("crash-" + crashAt + ".prune")));
      if (pruned) {
        break;
      }
    }
    assertTrue(sawOld && sawNew, "the crash points cover both outcomes");
  }

  @Test
  void aFileThatIsNotAJournalIsRejectedNamingIt() throws IOException {
    Path file = dir.resolve("j");
    Files.write(file, new byte[AppendOnlyJournal.HEADER_SIZE]);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> AppendOnlyJournal.open(file));
    assertEquals(file.toAbsolutePath(), e.file());
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("bad magic"), e.getMessage());

    Files.write(file, new byte[3]);
    e = assertThrows(CorruptStoreException.class, () -> AppendOnlyJournal.open(file));
    assertTrue(e.getMessage().contains("cut short"), e.getMessage());

    Path good = dir.resolve("good");
    AppendOnlyJournal.open(good).close();
    byte[] header = Files.readAllBytes(good);
    header[9] ^= 1;
    Files.write(file, header);
    e = assertThrows(CorruptStoreException.class, () -> AppendOnlyJournal.open(file));
    assertEquals(24, e.offset());
  }

  @Test
  void recordsOutsideTheSizeLimitsAreRefused() throws IOException {
    try (AppendOnlyJournal j = AppendOnlyJournal.open(dir.resolve("j"))) {
      assertThrows(IllegalArgumentException.class, () -> j.append(ByteBuffer.allocate(0)));
      assertThrows(
          IllegalArgumentException.class,
          () -> j.append(ByteBuffer.allocate(AppendOnlyJournal.MAX_RECORD + 1)));
      assertEquals(0, j.recordCount());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> AppendOnlyJournal.open(dir.resolve("k"), ChannelOpener.DEFAULT, 8));
  }

  @Test
  void appendsAfterCloseFail() throws IOException {
    AppendOnlyJournal j = AppendOnlyJournal.open(dir.resolve("j"));
    j.close();
    IOException e = assertThrows(IOException.class, () -> j.append(text("late")));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
