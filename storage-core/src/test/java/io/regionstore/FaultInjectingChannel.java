package io.regionstore;

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
import java.util.function.Predicate;

/**
 * A FileChannel that delegates to a real one and fails the calls a test selects. {@link #opener}
 * wraps every channel a store opens.
 */
final class FaultInjectingChannel extends FileChannel {
  /** Which call is about to happen, on which file, at which position (-1 if not positional). */
  record Call(Path file, String op, long position) {}

  private final FileChannel delegate;
  private final Path file;
  private final Predicate<Call> fail;

  private FaultInjectingChannel(FileChannel delegate, Path file, Predicate<Call> fail) {
    this.delegate = delegate;
    this.file = file;
    this.fail = fail;
  }

  /** An opener whose channels fail every call for which {@code fail} is true. */
  static ChannelOpener opener(Predicate<Call> fail) {
    return (path, options) -> new FaultInjectingChannel(FileChannel.open(path, options), path, fail);
  }

  private void maybeFail(String op) throws IOException {
    maybeFail(op, -1);
  }

  private void maybeFail(String op, long position) throws IOException {
    if (fail.test(new Call(file, op, position))) {
      throw new IOException("injected failure of " + op + " on " + file.getFileName());
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    maybeFail("read");
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    maybeFail("read");
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    maybeFail("write");
    return delegate.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    maybeFail("write");
    return delegate.write(srcs, offset, length);
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
    maybeFail("truncate");
    delegate.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    maybeFail("force");
    delegate.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    maybeFail("write");
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    maybeFail("read", position);
    return delegate.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    maybeFail("write", position);
    return delegate.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    maybeFail("map");
    return delegate.map(mode, position, size);
  }

  @Override
  public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
    maybeFail("map");
    return delegate.map(mode, offset, size, arena);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
