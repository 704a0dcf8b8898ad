package io.regionstore.remote;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Copies a response body into target segments through one small buffer, then checks that the body
 * ends there. It never reads more than the asked bytes plus {@link #PROBE} bytes.
 */
final class BodyCopy {

  /** Largest copy buffer (per request). */
  static final int BUFFER = 64 * 1024;
  /** How far past the asked length a body is read to find out that it is too long. */
  static final int PROBE = 1;

  private BodyCopy() {}

  /**
   * Fills {@code targets} from {@code body}, then expects the body to end.
   *
   * @param what the request, for messages
   * @throws EOFException if the body ends before the targets are full (a cut transfer)
   * @throws RangeProtocolException if the body goes on past the asked bytes
   * @throws IOException if reading the body fails
   */
  static void copy(InputStream body, List<MemorySegment> targets, long total, String what) throws IOException {
    byte[] buf = new byte[(int) Math.max(PROBE, Math.min(BUFFER, total))];
    long done = 0;
    for (MemorySegment target : targets) {
      long size = target.byteSize();
      for (long off = 0; off < size; ) {
        int n = body.read(buf, 0, (int) Math.min(buf.length, size - off));
        if (n < 0) {
          throw new EOFException(what + ": body ended after " + (done + off) + " of " + total + " bytes");
        }
        MemorySegment.copy(buf, 0, target, ValueLayout.JAVA_BYTE, off, n);
        off += n;
      }
      done += size;
    }
    if (body.read(buf, 0, PROBE) >= 0) {
      throw new RangeProtocolException(what + ": body is longer than the " + total + " bytes asked for");
    }
  }
}
