package io.regionstore.lucene;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Optional;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.DataAccessHint;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.MemorySegmentAccessInput;
import org.apache.lucene.store.RandomAccessInput;
import org.apache.lucene.store.ReadAdvice;
import org.apache.lucene.store.ReadOnceHint;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.BitUtil;

/**
 * {@code RegionIndexInput} on files of many extents: every read width at every extent boundary,
 * slices starting and ending mid-extent, zero-copy segment slices, closing rules, and the hints.
 */
public class TestRegionIndexInput extends LuceneTestCase {
  private static final int SIZE = 50_000;

  private RegionDirectory dir;
  private byte[] bytes;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    dir = new RegionDirectory(
        createTempDir(),
        org.apache.lucene.store.NoLockFactory.INSTANCE,
        RegionTestUtil.fragmentingConfig(1 << 16));
    bytes = new byte[SIZE];
    random().nextBytes(bytes);
    RegionTestUtil.writeFragmented(dir, "frag", "decoy", bytes);
  }

  @Override
  public void tearDown() throws Exception {
    dir.close();
    super.tearDown();
  }

  public void testFileHasManyExtents() throws IOException {
    // Extents double from 4 KiB and alternate with the decoy's; how many exactly is the store's
    // allocation policy. More than one is what the other tests here need.
    int extents = RegionTestUtil.extentCount(dir, "frag");
    assertTrue("extents: " + extents, extents > 1);
    assertEquals(SIZE, dir.fileLength("frag"));
  }

  public void testSequentialReadsOfEveryWidthAtEveryOffset() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      for (int start = 0; start < 16; start++) {
        in.seek(start);
        int p = start;
        while (p + Long.BYTES <= SIZE) {
          switch (p % 4) {
            case 0 -> {
              assertEquals(bytes[p], in.readByte());
              p += 1;
            }
            case 1 -> {
              assertEquals((short) BitUtil.VH_LE_SHORT.get(bytes, p), in.readShort());
              p += 2;
            }
            case 2 -> {
              assertEquals((int) BitUtil.VH_LE_INT.get(bytes, p), in.readInt());
              p += 4;
            }
            default -> {
              assertEquals((long) BitUtil.VH_LE_LONG.get(bytes, p), in.readLong());
              p += 8;
            }
          }
          assertEquals(p, in.getFilePointer());
        }
      }
    }
  }

  public void testPositionalReadsAtEveryOffset() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      RandomAccessInput r = in.randomAccessSlice(0, SIZE);
      for (int p = 0; p + Long.BYTES <= SIZE; p++) {
        assertEquals(bytes[p], r.readByte(p));
        assertEquals((short) BitUtil.VH_LE_SHORT.get(bytes, p), r.readShort(p));
        assertEquals((int) BitUtil.VH_LE_INT.get(bytes, p), r.readInt(p));
        assertEquals((long) BitUtil.VH_LE_LONG.get(bytes, p), r.readLong(p));
      }
      assertEquals(bytes[SIZE - 1], r.readByte(SIZE - 1));
      expectThrows(EOFException.class, () -> r.readByte(SIZE));
      expectThrows(EOFException.class, () -> r.readInt(SIZE - 3));
      expectThrows(IllegalArgumentException.class, () -> r.readLong(-1));
    }
  }

  public void testBulkReadsAcrossExtents() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      for (int iter = 0; iter < 500; iter++) {
        int start = random().nextInt(SIZE - 64);
        int count = random().nextInt((SIZE - start) / 8);
        in.seek(start);
        switch (random().nextInt(4)) {
          case 0 -> {
            byte[] got = new byte[count * 8];
            in.readBytes(got, 0, got.length);
            assertArrayEquals(Arrays.copyOfRange(bytes, start, start + got.length), got);
          }
          case 1 -> {
            long[] got = new long[count];
            in.readLongs(got, 0, count);
            for (int k = 0; k < count; k++) {
              assertEquals((long) BitUtil.VH_LE_LONG.get(bytes, start + 8 * k), got[k]);
            }
          }
          case 2 -> {
            int[] got = new int[count];
            in.readInts(got, 0, count);
            for (int k = 0; k < count; k++) {
              assertEquals((int) BitUtil.VH_LE_INT.get(bytes, start + 4 * k), got[k]);
            }
          }
          default -> {
            float[] got = new float[count];
            in.readFloats(got, 0, count);
            for (int k = 0; k < count; k++) {
              int bits = (int) BitUtil.VH_LE_INT.get(bytes, start + 4 * k);
              assertEquals(Float.intBitsToFloat(bits), got[k], 0f);
            }
          }
        }
      }
    }
  }

  public void testSlicesStartingAndEndingMidExtent() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      for (int iter = 0; iter < 200; iter++) {
        int start = random().nextInt(SIZE);
        int len = random().nextInt(SIZE - start + 1);
        IndexInput slice = in.slice("s", start, len);
        assertEquals(len, slice.length());
        byte[] got = new byte[len];
        slice.readBytes(got, 0, len);
        assertArrayEquals(Arrays.copyOfRange(bytes, start, start + len), got);
        expectThrows(EOFException.class, slice::readByte);
        if (len > 2) {
          int inner = random().nextInt(len - 1);
          IndexInput sub = slice.slice("t", inner, len - inner).clone();
          assertEquals(bytes[start + inner], sub.readByte());
        }
      }
    }
  }

  public void testSegmentSliceOrNull() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      MemorySegmentAccessInput msai = (MemorySegmentAccessInput) in;
      int nonNull = 0;
      int straddling = 0;
      for (int p = 0; p + 64 <= SIZE; p += 61) {
        MemorySegment seg = msai.segmentSliceOrNull(p, 64);
        if (seg == null) {
          straddling++;
        } else {
          nonNull++;
          assertEquals(64, seg.byteSize());
          byte[] got = seg.toArray(ValueLayout.JAVA_BYTE);
          assertArrayEquals(Arrays.copyOfRange(bytes, p, p + 64), got);
        }
      }
      assertTrue(nonNull > 0);
      assertTrue("some 64-byte ranges must straddle an extent boundary", straddling > 0);
      expectThrows(EOFException.class, () -> msai.segmentSliceOrNull(SIZE - 10, 11));
      MemorySegment kept = msai.segmentSliceOrNull(0, 16);
      in.close();
      // the view dies with the input: never bytes of whatever reuses the space
      expectThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_BYTE, 0));
    }
  }

  public void testEverythingFailsAfterMasterClose() throws IOException {
    IndexInput in = dir.openInput("frag", IOContext.DEFAULT);
    IndexInput clone = in.clone();
    IndexInput slice = in.slice("s", 100, 20_000);
    RandomAccessInput random = in.randomAccessSlice(5, 30_000);
    clone.readLong(); // resolve a window before the close
    in.close();
    expectThrows(AlreadyClosedException.class, in::readByte);
    expectThrows(AlreadyClosedException.class, clone::readByte);
    expectThrows(AlreadyClosedException.class, clone::readLong);
    expectThrows(AlreadyClosedException.class, () -> slice.readBytes(new byte[10], 0, 10));
    expectThrows(AlreadyClosedException.class, () -> random.readInt(25_000));
    expectThrows(AlreadyClosedException.class, () -> clone.seek(3));
    expectThrows(AlreadyClosedException.class, in::clone);
    expectThrows(AlreadyClosedException.class, () -> clone.slice("x", 0, 1));
    in.close(); // idempotent
  }

  public void testClosingACloneLeavesTheOthers() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      IndexInput clone = in.clone();
      RandomAccessInput slice = in.randomAccessSlice(10, 100);
      clone.readInt();
      clone.close();
      expectThrows(AlreadyClosedException.class, clone::readInt);
      ((IndexInput) slice).close();
      expectThrows(AlreadyClosedException.class, () -> slice.readByte(0));
      assertEquals(bytes[0], in.readByte());
      assertEquals(bytes[10], in.slice("again", 10, 100).readByte());
    }
  }

  public void testDirectoryCloseKillsOpenInputs() throws IOException {
    IndexInput in = dir.openInput("frag", IOContext.DEFAULT);
    IndexInput clone = in.clone();
    in.readLong();
    dir.close();
    expectThrows(AlreadyClosedException.class, in::readLong);
    expectThrows(AlreadyClosedException.class, () -> clone.readBytes(new byte[4], 0, 4));
    in.close();
  }

  public void testEofMessagesNameTheFile() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      in.seek(SIZE - 2);
      EOFException e = expectThrows(EOFException.class, in::readInt);
      assertTrue(e.getMessage(), e.getMessage().contains("frag"));
      assertEquals(SIZE - 2, in.getFilePointer()); // a failed read does not move
      e = expectThrows(EOFException.class, () -> in.seek(SIZE + 1));
      assertTrue(e.getMessage(), e.getMessage().contains("frag"));
      IllegalArgumentException iae =
          expectThrows(IllegalArgumentException.class, () -> in.slice("bad", 10, SIZE));
      assertTrue(iae.getMessage(), iae.getMessage().contains("frag"));
    }
  }

  public void testPrefetchChecksBoundsAndIsLoadedAsksTheOs() throws IOException {
    try (IndexInput in = dir.openInput("frag", IOContext.DEFAULT)) {
      in.prefetch(0, SIZE);
      IndexInput slice = in.slice("part", 100, SIZE - 200);
      slice.prefetch(0, SIZE - 200);
      expectThrows(IndexOutOfBoundsException.class, () -> in.prefetch(SIZE - 1, 2));
      expectThrows(IndexOutOfBoundsException.class, () -> slice.prefetch(1, SIZE - 200));
      // just written, so in the page cache: the OS says every page is resident
      assertEquals(Optional.of(true), in.isLoaded());
      assertEquals(Optional.of(true), slice.isLoaded());
      in.close();
      expectThrows(AlreadyClosedException.class, () -> in.prefetch(0, 1));
      expectThrows(AlreadyClosedException.class, () -> slice.prefetch(0, 1));
      expectThrows(AlreadyClosedException.class, in::isLoaded);
    }
  }

  public void testEmptyFile() throws IOException {
    dir.createOutput("empty", IOContext.DEFAULT).close();
    try (IndexInput in = dir.openInput("empty", IOContext.DEFAULT)) {
      assertEquals(0, in.length());
      in.seek(0);
      in.readBytes(new byte[0], 0, 0);
      expectThrows(EOFException.class, in::readByte);
      assertEquals(0, in.slice("s", 0, 0).length());
    }
  }

  public void testReadAdviceIsResolvedLikeMMapDirectory() throws IOException {
    try (var in = (RegionIndexInput) dir.openInput("frag", IOContext.DEFAULT)) {
      assertEquals(ReadAdvice.NORMAL, in.readAdvice());
    }
    IOContext random = IOContext.DEFAULT.withHints(DataAccessHint.RANDOM);
    try (var in = (RegionIndexInput) dir.openInput("frag", random)) {
      assertEquals(ReadAdvice.RANDOM, in.readAdvice());
      assertEquals(ReadAdvice.RANDOM, ((RegionIndexInput) in.slice("s", 0, 10)).readAdvice());
    }
    IOContext once = IOContext.READONCE;
    assertTrue(once.hints().contains(ReadOnceHint.INSTANCE));
    try (var in = (RegionIndexInput) dir.openInput("frag", once)) {
      assertEquals(
          MMapDirectory.ADVISE_BY_CONTEXT.apply("frag", once).orElse(ReadAdvice.NORMAL),
          in.readAdvice());
    }
  }

  public void testPreloadOptionAndDefaultAdvice() throws IOException {
    try (RegionDirectory preloading =
        RegionDirectory.open(
            createTempDir(),
            RegionDirectoryConfig.builder()
                .preload(MMapDirectory.ALL_FILES)
                .defaultReadAdvice(ReadAdvice.RANDOM)
                .build())) {
      try (IndexOutput out = preloading.createOutput("f", IOContext.DEFAULT)) {
        out.writeBytes(bytes, bytes.length);
      }
      try (var in = (RegionIndexInput) preloading.openInput("f", IOContext.DEFAULT)) {
        assertEquals(ReadAdvice.RANDOM, in.readAdvice());
        byte[] got = new byte[SIZE];
        in.readBytes(got, 0, SIZE);
        assertArrayEquals(bytes, got);
      }
    }
  }
}
