package io.regionstore.lucene;

import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import io.regionstore.io.SparseFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
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
 * mapping exists (a mapping does not need its channel to stay open), and punching holes goes to
 * the unwrapped file (the punch opens the file by its OS path).
 *
 * <p>Stateless and thread-safe.
 */
final class WrappedFileSystemChannels {
  /**
   * The opener a {@link RegionDirectory} store uses: channels from {@code inner}, each wrapped so
   * that mapping works when {@code path} is on a wrapping file system.
   */
  static ChannelOpener over(ChannelOpener inner) {
    return (path, options) -> {
      FileChannel channel = inner.open(path, options);
      Path real = Unwrappable.unwrapAll(path);
      return real == path ? channel : new MapThroughRealFile(channel, real);
    };
  }

  private WrappedFileSystemChannels() {}

  /** Forwards everything to the wrapped channel except mapping into an {@link Arena}. */
  static final class MapThroughRealFile extends ForwardingFileChannel {
    private final Path real;

    MapThroughRealFile(FileChannel in, Path real) {
      super(in);
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
    public boolean punchHoles(SparseFile file, long[] ranges) throws IOException {
      return super.punchHoles(file.at(real), ranges);
    }
  }
}
