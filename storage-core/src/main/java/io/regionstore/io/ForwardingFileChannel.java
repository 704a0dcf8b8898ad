package io.regionstore.io;

import io.regionstore.io.SparseFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} that forwards every call to another, for {@link ChannelOpener}s that
 * instrument, fail or redirect some calls. Before each forwarded call it runs {@link #beforeCall},
 * which a subclass overrides to count calls or throw; a subclass that changes a call overrides
 * that method and uses {@link #delegate}.
 *
 * <p>Thread-safe as far as the delegate is.
 */
public class ForwardingFileChannel extends FileChannel {
  /** The channel calls go to. */
  protected final FileChannel delegate;

  /** @param delegate the channel calls go to; closed with this one */
  public ForwardingFileChannel(FileChannel delegate) {
    this.delegate = delegate;
  }

  /**
   * Runs before each forwarded call; does nothing unless overridden.
   *
   * @param operation {@code "read"}, {@code "write"}, {@code "truncate"}, {@code "force"}, {@code
   *     "map"}, {@code "lock"}, {@code "transfer"} or {@code "punch"} ({@link #punchHoles})
   * @param position the file position of a positional call, or -1
   * @throws IOException to fail the call
   */
  protected void beforeCall(String operation, long position) throws IOException {}

  @Override
  public int read(ByteBuffer dst) throws IOException {
    beforeCall("read", -1);
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    beforeCall("read", -1);
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    beforeCall("read", position);
    return delegate.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    beforeCall("write", -1);
    return delegate.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    beforeCall("write", -1);
    return delegate.write(srcs, offset, length);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    beforeCall("write", position);
    return delegate.write(src, position);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    beforeCall("truncate", size);
    delegate.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    beforeCall("force", -1);
    delegate.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    beforeCall("transfer", position);
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    beforeCall("transfer", position);
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    beforeCall("map", position);
    return delegate.map(mode, position, size);
  }

  @Override
  public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
    beforeCall("map", offset);
    return delegate.map(mode, offset, size, arena);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    beforeCall("lock", position);
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    beforeCall("lock", position);
    return delegate.tryLock(position, size, shared);
  }

  /**
   * Punches holes in the file this channel has open: each range then reads as zeros and takes no
   * disk space, and the file keeps its size. The store calls it only for free space, after a
   * commit's fdatasync. {@code file} is this channel's file: a JDK channel does not expose its
   * descriptor, so the punch itself opens the file by its path ({@link SparseFile#punchHoles},
   * which checks that the path still leads to the same file).
   *
   * <p>Runs {@link #beforeCall} with {@code "punch"} and the first range's offset, then forwards to
   * the delegate if it is a {@code ForwardingFileChannel}, else to {@link SparseFile#punchHoles}. A
   * subclass overrides it to model the punch (a simulated disk) or to redirect it (to the real file
   * under a wrapping file system, with {@link SparseFile#at}).
   *
   * @param ranges offset and length pairs
   * @return false if punching is not available here or the file system refuses it (nothing was
   *     punched); true once every range is punched
   * @throws IOException if a punch fails otherwise
   */
  public boolean punchHoles(SparseFile file, long[] ranges) throws IOException {
    beforeCall("punch", ranges.length > 0 ? ranges[0] : -1);
    return delegate instanceof ForwardingFileChannel forwarding
        ? forwarding.punchHoles(file, ranges)
        : file.punchHoles(ranges);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
