package io.regionstore.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Random bytes with their identity, and a recording fetcher over them. */
final class TestContent {
  /** One fetch call: the first block and the size of each target. */
  record Call(long first, List<Long> sizes) {}

  /** Runs inside a fetch call before it copies, e.g. to wait or to fail. */
  interface Hook {
    void run(long first, List<MemorySegment> targets) throws IOException;
  }

  final byte[] bytes;
  final ContentId id;
  final int blockSize;
  final List<Call> calls = new ArrayList<>();
  final AtomicInteger fetches = new AtomicInteger();
  volatile Hook hook;

  TestContent(long seed, int length, int blockSize) {
    this.bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    this.id = ContentId.ofBytes(bytes);
    this.blockSize = blockSize;
  }

  /** The bytes block {@code index} must hold. */
  byte[] block(long index) {
    int from = (int) (index * blockSize);
    return Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + blockSize));
  }

  /** Fetches from {@link #bytes}, recording each call and running the hook first. */
  BlockFetcher fetcher() {
    return (first, targets) -> {
      fetches.incrementAndGet();
      synchronized (calls) {
        calls.add(new Call(first, targets.stream().map(MemorySegment::byteSize).toList()));
      }
      Hook h = hook;
      if (h != null) {
        h.run(first, targets);
      }
      long at = first * blockSize;
      for (MemorySegment t : targets) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), at, t, 0, t.byteSize());
        at += t.byteSize();
      }
    };
  }

  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** A copy of a view's bytes. */
  static byte[] read(MemorySegment view) {
    return view.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
  }
}
