package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyCopyTest {

  /** Counts the bytes handed out, and hands out at most 1,000 per read (as a network stream would). */
  private static final class CountingStream extends FilterInputStream {
    long delivered;

    CountingStream(byte[] bytes) {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, Math.min(len, 1000));
      if (n > 0) {
        delivered += n;
      }
      return n;
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void fillsTargetsInOrderAndChecksTheEnd() throws IOException {
    byte[] body = random(200_000);
    MemorySegment a = MemorySegment.ofArray(new byte[70_000]);
    MemorySegment b = MemorySegment.ofArray(new byte[0]);
    MemorySegment c = MemorySegment.ofArray(new byte[130_000]);
    CountingStream in = new CountingStream(body);
    BodyCopy.copy(in, List.of(a, b, c), 200_000, "GET x bytes 0-199999");
    assertArrayEquals(Arrays.copyOfRange(body, 0, 70_000), a.toArray(ValueLayout.JAVA_BYTE));
    assertArrayEquals(Arrays.copyOfRange(body, 70_000, 200_000), c.toArray(ValueLayout.JAVA_BYTE));
    assertEquals(200_000, in.delivered);
  }

  @Test
  void shortBodyIsEofSayingHowFarItGot() {
    MemorySegment target = MemorySegment.ofArray(new byte[100]);
    EOFException e =
        assertThrows(EOFException.class, () -> BodyCopy.copy(new ByteArrayInputStream(random(60)), List.of(target), 100, "GET x"));
    assertEquals("body ended after 60 of 100 bytes", e.getMessage());
  }

  @Test
  void longBodyIsAProtocolErrorReadAtMostOneBytePastTheAskedLength() {
    MemorySegment target = MemorySegment.ofArray(new byte[5000]);
    CountingStream in = new CountingStream(random(1_000_000));
    RangeProtocolException e =
        assertThrows(RangeProtocolException.class, () -> BodyCopy.copy(in, List.of(target), 5000, "GET x bytes 0-4999"));
    assertEquals("GET x bytes 0-4999: body is longer than the 5000 bytes asked for", e.getMessage());
    assertEquals(5000 + BodyCopy.PROBE, in.delivered);
  }

  @Test
  void aFailingStreamSaysWhereAndWhy() {
    InputStream failing =
        new InputStream() {
          int left = 10;

          @Override
          public int read() throws IOException {
            if (left-- > 0) {
              return 7;
            }
            throw new IOException("closed", new IOException("outer", new java.net.SocketException("Connection reset")));
          }
        };
    MemorySegment target = MemorySegment.ofArray(new byte[100]);
    IOException e = assertThrows(IOException.class, () -> BodyCopy.copy(failing, List.of(target), 100, "GET x"));
    assertEquals(
        "body failed after 10 of 100 bytes: java.io.IOException: outer (java.net.SocketException: Connection reset)",
        e.getMessage());
  }
}
