package io.regionstore.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens every file channel a store uses: the data file, the catalog slots, the reader table and the
 * writer lock. The default is {@link FileChannel#open(Path, Set, java.nio.file.attribute.FileAttribute[])}.
 *
 * <p>This is the seam for fault injection and instrumentation: return a {@link
 * ForwardingFileChannel} whose {@code beforeCall} counts, delays or fails {@code write}, {@code
 * force} or {@code map} calls. All store I/O goes through the channels this returns.
 */
@FunctionalInterface
public interface ChannelOpener {
  /** The plain JDK channel. */
  ChannelOpener DEFAULT = (path, options) -> FileChannel.open(path, options);

  /**
   * Opens a channel.
   *
   * @param path the file
   * @param options the open options, as for {@link FileChannel#open}
   */
  FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
