package io.regionstore;

import io.regionstore.errors.StoreLockedException;
import io.regionstore.io.ChannelOpener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-writer-per-store lock: an OS file lock on {@value #FILE_NAME}, which the OS releases if
 * the writer process dies. The file holds the holder's pid, for the error a second writer gets.
 *
 * <p>Locks are tracked per JVM as well, because the OS lock cannot tell two channels of one process
 * apart, and closing a second channel on the file could drop the first one's lock.
 */
final class WriterLock implements AutoCloseable {
  static final String FILE_NAME = "regionstore.lock";
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private WriterLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  static WriterLock acquire(Path dir, ChannelOpener opener) throws IOException {
    Path path = dir.resolve(FILE_NAME);
    Path key = dir.toRealPath().resolve(FILE_NAME);
    if (!HELD_IN_THIS_JVM.add(key)) {
      throw new StoreLockedException(
          "store " + dir + " is already open for writing in this JVM (lock file " + path + ")");
    }
    FileChannel channel = null;
    try {
      channel =
          opener.open(
              path,
              EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new StoreLockedException(
            "store " + dir + " is already open for writing by another process ("
                + holder(channel) + ", lock file " + path + ")");
      }
      byte[] pid = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      return new WriterLock(key, channel, lock);
    } catch (IOException | RuntimeException e) {
      HELD_IN_THIS_JVM.remove(key);
      if (channel != null) {
        channel.close();
      }
      throw e;
    }
  }

  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(64);
    channel.read(bytes, 0);
    String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? "holder unknown" : text;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD_IN_THIS_JVM.remove(key);
    }
  }
}
