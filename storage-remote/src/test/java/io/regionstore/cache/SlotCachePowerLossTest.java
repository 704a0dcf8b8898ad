package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss at every write of the journal, with the cache file's slots lost or torn at random:
 * the cache opens again, takes back only blocks whose bytes are exact, and drops the rest.
 *
 * <p>The model of a power cut at journal write {@code n}: write {@code n} lands half, no later call
 * reaches the disk; of the journal's bytes after its last fsync, any prefix survives, possibly with
 * a damaged byte; any slot of the cache file (never synced before close) may hold zeros, half of
 * its new bytes, or another slot's bytes.
 */
class SlotCachePowerLossTest {
  private static final int BLOCK = 4096;
  private static final int SLOTS = 12;
  @TempDir Path dir;

  /** Cuts the power at the {@code cutAt}-th journal write; remembers the journal's synced length. */
  private static final class PowerCut implements ChannelOpener {
    final int cutAt;
    int writes;
    boolean off;
    /** Bytes of the journal file known to be on disk (fsynced), or -1 before it was opened. */
    long durable = -1;

    PowerCut(int cutAt) {
      this.cutAt = cutAt;
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
      if (off) {
        throw new IOException("power is off");
      }
      FileChannel ch = FileChannel.open(path, options);
      boolean journal = path.getFileName().toString().equals(CacheJournal.FILE_NAME);
      if (journal) {
        durable = ch.size(); // opened after a fsynced rewrite, or as a journal open checked and synced
      }
      return new ForwardingFileChannel(ch) {
        @Override
        protected void beforeCall(String operation, long position) throws IOException {
          if (off) {
            throw new IOException("power is off");
          }
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
          beforeCall("write", position);
          if (++writes == cutAt) {
            off = true;
            ByteBuffer half = src.duplicate();
            half.limit(half.position() + half.remaining() / 2);
            delegate.write(half, position);
            throw new IOException("power cut at journal write " + cutAt);
          }
          return delegate.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
          beforeCall("force", -1);
          delegate.force(metaData);
          if (journal) {
            durable = delegate.size();
          }
        }
      };
    }
  }

  private static CacheOptions options() {
    return CacheOptions.builder()
        .blockSize(BLOCK)
        .initialCapacity(4L * BLOCK)
        .maxCapacity((long) SLOTS * BLOCK)
        .prefetchThreads(0)
        .build();
  }

  private static void workload(SlotCache cache, TestContent[] contents, Random random, int ops) throws IOException {
    for (int i = 0; i < ops; i++) {
      TestContent c = contents[random.nextInt(contents.length)];
      CachedContent content = cache.content(c.id, c.fetcher());
      int count = 1 + random.nextInt(3);
      long first = random.nextInt((int) content.blockCount() - count + 1);
      for (CachedBlock b : content.pin(first, count)) {
        b.unpin();
      }
    }
  }

  @Test
  void powerLossAtEveryJournalWriteLeavesACacheThatOpensAndServesOnlyExactBytes() throws Exception {
    TestContent[] contents = {new TestContent(1, 20 * BLOCK, BLOCK), new TestContent(2, 15 * BLOCK + 9, BLOCK)};
    JournalSettings clean = new JournalSettings(ChannelOpener.DEFAULT, 256, 4, 16);
    long adoptedInAll = 0;
    long droppedInAll = 0;
    int cut = 1;
    for (; ; cut++) {
      Path folder = dir.resolve("cache-" + cut);
      try (SlotCache before = SlotCache.open(folder, options(), clean)) {
        workload(before, contents, new Random(7), 30); // a warm cache to restart from
      }
      PowerCut power = new PowerCut(cut);
      try (SlotCache cache =
          SlotCache.open(folder, options(), new JournalSettings(power, 256, 4, 16))) {
        workload(cache, contents, new Random(8), 60); // the same writes every time: cut walks them all
      } catch (IOException e) {
        assertTrue(power.off, "only the power cut fails: " + e);
      }
      if (!power.off) {
        break; // the run made fewer writes than cut: every write has had its cut
      }
      Set<Integer> damaged = losePower(folder, power.durable, new Random(cut));
      try (SlotCache cache = SlotCache.open(folder, options())) {
        long cached = 0;
        for (TestContent c : contents) {
          CachedContent content = cache.content(c.id, c.fetcher());
          int fetches = c.fetches.get();
          for (long i = 0; i < content.blockCount(); i++) {
            if (content.isCached(i)) {
              cached++;
              CachedBlock b = content.pin(i);
              assertFalse(damaged.contains(b.slot), "cut " + cut + ": a damaged slot was adopted: " + b);
              assertArrayEquals(c.block(i), TestContent.read(b.segment()), "cut " + cut + ", block " + i);
              b.unpin();
            }
          }
          assertEquals(fetches, c.fetches.get());
        }
        CacheStats s = cache.stats();
        assertEquals(cached, s.adopted(), "cut " + cut);
        adoptedInAll += s.adopted();
        droppedInAll += s.dropped();
      }
    }
    System.out.printf(
        "power cut at each of %d journal writes: %d blocks adopted, %d dropped in all%n",
        cut - 1, adoptedInAll, droppedInAll);
    assertTrue(cut > 20, "the workload wrote the journal " + (cut - 1) + " times");
    assertTrue(adoptedInAll > 0, "blocks survive power cuts");
    assertTrue(droppedInAll > 0, "damaged slots were found and dropped");
  }

  /**
   * What the disk holds after the cut: the journal keeps its synced bytes and a random prefix of
   * the rest (maybe with one damaged byte); a quarter of the slots are zeroed, torn (first half zero), or
   * hold another slot's bytes. Returns the damaged slots.
   */
  private static Set<Integer> losePower(Path folder, long durable, Random random) throws IOException {
    Path journal = folder.resolve(CacheJournal.FILE_NAME);
    if (Files.exists(journal) && durable >= 0) {
      try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long size = ch.size();
        long keep = durable + (size > durable ? random.nextLong(size - durable + 1) : 0);
        ch.truncate(keep);
        if (keep > durable && random.nextBoolean()) {
          long at = durable + random.nextLong(keep - durable);
          ch.write(ByteBuffer.wrap(new byte[] {(byte) random.nextInt()}), at);
        }
      }
    }
    Set<Integer> damaged = new HashSet<>();
    Path file = folder.resolve(SlotFile.FILE_NAME);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      int slots = (int) (ch.size() / BLOCK);
      for (int s = 0; s < slots; s++) {
        if (random.nextInt(4) != 0) {
          continue;
        }
        damaged.add(s);
        long at = (long) s * BLOCK;
        switch (random.nextInt(3)) {
          case 0 -> ch.write(ByteBuffer.allocate(BLOCK), at);
          case 1 -> ch.write(ByteBuffer.allocate(BLOCK / 2), at); // torn: its first pages never landed
          default -> {
            ByteBuffer other = ByteBuffer.allocate(BLOCK);
            ch.read(other, (long) ((s + 1) % slots) * BLOCK);
            ch.write(other.flip(), at);
          }
        }
      }
    }
    return damaged;
  }
}
