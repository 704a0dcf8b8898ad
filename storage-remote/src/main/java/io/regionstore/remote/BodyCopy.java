package io.regionstore.remote;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Copies a response body into target segments through one small buffer, then checks that the body
 * ends there. It never reads more than the asked bytes plus {@link #PROBE} bytes. Used by every
 * range source that reads a response stream (HTTP here, S3 in storage-s3). Stateless.
 */
public final class BodyCopy {

  /** Largest copy buffer (per request). */
  static final int BUFFER = 64 * 1024;
  /** How far past the asked length a body is read to find out that it is too long. */
  static final int PROBE = 1;

  private BodyCopy() {}

  /**
   * Fills {@code targets} from {@code body}, then expects the body to end.
   *
   * @param what the request, for the message of a protocol error
   * @throws EOFException if the body ends before the targets are full (a cut transfer)
   * @throws RangeProtocolException if the body goes on past the asked bytes
   * @throws IOException if reading the body fails, saying after how many bytes and why
   */
  public static void copy(InputStream body, List<MemorySegment> targets, long total, String what) throws IOException {
    byte[] buf = new byte[(int) Math.max(PROBE, Math.min(BUFFER, total))];
    long done = 0;
    for (MemorySegment target : targets) {
      long size = target.byteSize();
      for (long off = 0; off < size; ) {
        int n = read(body, buf, (int) Math.min(buf.length, size - off), done + off, total);
        if (n < 0) {
          throw new EOFException("body ended after " + (done + off) + " of " + total + " bytes");
        }
        MemorySegment.copy(buf, 0, target, ValueLayout.JAVA_BYTE, off, n);
        off += n;
      }
      done += size;
    }
    if (read(body, buf, PROBE, total, total) >= 0) {
      throw new RangeProtocolException(what + ": body is longer than the " + total + " bytes asked for");
    }
  }

  /** One read; its failure says where and why (the JDK's stream only says "closed", with the reason as cause). */
  private static int read(InputStream body, byte[] buf, int len, long done, long total) throws IOException {
    try {
      return body.read(buf, 0, len);
    } catch (IOException e) {
      Throwable why = e;
      while (why.getCause() != null && "closed".equals(why.getMessage())) {
        why = why.getCause();
      }
      Throwable root = why;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String reason = root == why ? why.toString() : why + " (" + root + ")";
      throw new IOException("body failed after " + done + " of " + total + " bytes: " + reason, e);
    }
  }
}
