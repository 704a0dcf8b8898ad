package io.regionstore.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A stream of {@code size} bytes of a file from an offset, read positionally, so that several
 * slices (the parts of an upload, and retries of one part) read one open channel independently.
 * Closing the slice leaves the channel open. Not thread-safe.
 */
final class FileSlice extends InputStream {
  private final FileChannel file;
  private long position;
  private final long end;

  FileSlice(FileChannel file, long offset, long size) {
    this.file = file;
    this.position = offset;
    this.end = offset + size;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (position >= end) {
      return -1;
    }
    int n = file.read(ByteBuffer.wrap(buf, off, (int) Math.min(len, end - position)), position);
    if (n < 0) {
      throw new EOFException("file ended at " + position + ", before the " + end + " bytes it had when the upload began");
    }
    position += n;
    return n;
  }
}
