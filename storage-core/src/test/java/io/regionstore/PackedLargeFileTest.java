package io.regionstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackLayout;
import io.regionstore.pack.PackOptions;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFileWriter;
import io.regionstore.pack.PackedFront;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A packed file over 16 GiB: its chunk size is 16 GiB and a region crossing the boundary is split
 * into two extents, which the parser accepts and a local open reads across. The 16 GiB of zeros
 * are kept sparse (the channel skips writing all-zero buffers), but are still hashed: about a
 * minute, so only with {@code -Dregionstore.tests.long=true}.
 */
@EnabledIfSystemProperty(named = "regionstore.tests.long", matches = "true")
class PackedLargeFileTest {
  private static final long G16 = 1L << 34;
  private static final byte[] ZEROS = new byte[1 << 20];

  @TempDir Path dir;

  /** Leaves all-zero writes as holes; the file is extended to its full length before it is forced. */
  private static final class SparseZeros extends ForwardingFileChannel {
    private long end;

    SparseZeros(FileChannel delegate) {
      super(delegate);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      int n = src.remaining();
      end = Math.max(end, position + n);
      if (position >= PackFormat.FIRST_WINDOW && n <= ZEROS.length
          && src.mismatch(ByteBuffer.wrap(ZEROS, 0, n)) == -1) {
        src.position(src.limit());
        return n;
      }
      return super.write(src, position);
    }

    @Override
    public long size() throws IOException {
      return Math.max(super.size(), end);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (delegate.size() < end) {
        delegate.write(ByteBuffer.allocate(1), end - 1);
      }
      super.force(metaData);
    }
  }

  @Test
  void aRegionAcrossTheSixteenGibBoundaryIsSplitAndReadsWhole() throws IOException {
    long zerosLength = G16 - 8192;
    byte[] tail = new byte[1 << 20];
    new Random(5).nextBytes(tail);
    CRC32C zerosCrc = new CRC32C();
    for (long done = 0; done < zerosLength; done += ZEROS.length) {
      zerosCrc.update(ZEROS, 0, (int) Math.min(ZEROS.length, zerosLength - done));
    }
    CRC32C tailCrc = new CRC32C();
    tailCrc.update(tail);
    Path target = dir.resolve("large.pack");
    ChannelOpener sparse = (path, options) -> new SparseZeros(FileChannel.open(path, options));
    PackLayout layout =
        PackedFileWriter.write(target, sparse, "test", 1,
            List.of(
                new PackedFileWriter.Input("a", zerosLength, (int) zerosCrc.getValue(), (pos, dst, off, len) -> {}),
                new PackedFileWriter.Input("b", tail.length, (int) tailCrc.getValue(),
                    (pos, dst, off, len) -> System.arraycopy(tail, (int) pos, dst, off, len))),
            PackOptions.builder().hotRange("b", 0, 100).build());
    assertEquals(G16, layout.chunkSize());
    assertEquals(layout.frontLength() + zerosLength + tail.length, layout.fileLength());
    PackedFront front = PackedFileReader.read(target);
    PackedRegion b = front.region("b");
    assertEquals(2, b.extentCount());
    assertEquals(G16, b.extentOffset(1));
    assertEquals(G16 - b.extentOffset(0), b.extentLength(0));
    assertEquals(tail.length, b.extentLength(0) + b.extentLength(1));
    try (RegionStore store = RegionStore.openReadOnly(target); RegionReader r = store.openReader("b")) {
      byte[] read = new byte[tail.length];
      r.read(0, read, 0, read.length);
      assertArrayEquals(tail, read);
      assertEquals(2, r.extentCount());
      try (RegionReader a = store.openReader("a")) {
        assertEquals(0, a.readByte(zerosLength - 1));
      }
    }
  }
}
