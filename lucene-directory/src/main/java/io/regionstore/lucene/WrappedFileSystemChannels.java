package io.regionstore.lucene;

import io.regionstore.ChannelOpener;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.lucene.util.Unwrappable;

/**
 * Opens the store's channels so that it works on file systems that wrap the default one, such as
 * Lucene's test file systems (LeakFS, HandleLimitFS, WindowsFS, ...).
 *
 * <p>Such file systems return their own {@link FileChannel} subclasses, which do not implement
 * {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}: it throws {@link
 * UnsupportedOperationException}. Lucene's {@code MMapDirectory} solves this by mapping the
 * innermost ({@link Unwrappable#unwrapAll unwrapped}) path; this opener does the same for the one
 * call that needs it. Every channel is opened through the path as given, so the wrapping file
 * system still sees (and can check, count or fail) every open, read, write, fsync and close; only
 * {@code map} is served by a short-lived channel on the unwrapped file, closed as soon as the
 * mapping exists (a mapping does not need its channel to stay open).
 *
 * <p>Stateless and thread-safe.
 */
final class WrappedFileSystemChannels {
  /** The opener every {@link RegionDirectory} store uses. */
  static final ChannelOpener OPENER =
      (path, options) -> {
        FileChannel channel = FileChannel.open(path, options);
        Path real = Unwrappable.unwrapAll(path);
        return real == path ? channel : new MapThroughRealFile(channel, real);
      };

  private WrappedFileSystemChannels() {}

  /** Delegates everything to the wrapped channel except mapping into an {@link Arena}. */
  static final class MapThroughRealFile extends FileChannel {
    private final FileChannel in;
    private final Path real;

    MapThroughRealFile(FileChannel in, Path real) {
      this.in = in;
      this.real = real;
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena)
        throws IOException {
      StandardOpenOption[] options =
          mode == MapMode.READ_ONLY
              ? new StandardOpenOption[] {StandardOpenOption.READ}
              : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
      try (FileChannel direct = FileChannel.open(real, options)) {
        return direct.map(mode, offset, size, arena);
      }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return in.map(mode, position, size);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return in.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return in.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return in.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return in.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return in.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return in.write(src, position);
    }

    @Override
    public long position() throws IOException {
      return in.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      in.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return in.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      in.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      in.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return in.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return in.transferFrom(src, position, count);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return in.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return in.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      in.close();
    }
  }
}
