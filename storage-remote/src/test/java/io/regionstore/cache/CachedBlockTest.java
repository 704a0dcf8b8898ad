package io.regionstore.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class CachedBlockTest {
  private static final ContentId CONTENT = ContentId.ofBytes(new byte[100]);
  private final MemorySegment slot = Arena.ofAuto().allocate(4096);

  private CachedBlock filling() {
    return new CachedBlock(new BlockKey(CONTENT, 0), 7, slot, 100);
  }

  @Test
  void theViewHasTheBlockLengthAndIsTheSameObjectEveryTime() {
    CachedBlock b = filling();
    assertEquals(100, b.segment().byteSize());
    assertSame(b.segment(), b.segment());
    assertEquals(CONTENT, b.content());
    assertEquals(0, b.index());
    b.segment().set(ValueLayout.JAVA_BYTE, 99, (byte) 5);
    assertEquals(5, slot.get(ValueLayout.JAVA_BYTE, 99), "zero-copy: the view is the slot's memory");
  }

  @Test
  void pinsCountAndOverUnpinningIsRefused() {
    CachedBlock b = filling();
    assertEquals(1, b.pins(), "born pinned by its filler");
    assertTrue(b.tryPin());
    b.unpin();
    b.unpin();
    assertEquals(0, b.pins());
    IllegalStateException e = assertThrows(IllegalStateException.class, b::unpin);
    assertTrue(e.getMessage().contains("not pinned"), e.getMessage());
  }

  @Test
  void aPinnedBlockCannotRetireAndARetiredOneCannotBePinned() {
    CachedBlock b = filling();
    b.markFilled();
    assertFalse(b.tryRetire());
    b.segment().get(ValueLayout.JAVA_BYTE, 0);
    b.unpin();
    assertTrue(b.tryRetire());
    assertFalse(b.tryPin());
    assertFalse(b.tryRetire());
    assertThrows(IllegalStateException.class, () -> b.segment().get(ValueLayout.JAVA_BYTE, 0));
    b.unpin(); // a retired block has no pins to release: nothing happens
  }

  @Test
  void usesCountUpToThree() {
    CachedBlock b = filling();
    for (int i = 0; i < 10; i++) {
      b.touch();
    }
    assertEquals(3, b.uses());
    b.setUses(1);
    assertEquals(1, b.uses());
  }

  @Test
  void aWaiterOfAFailedFetchGetsTheCauseAndLosesItsPin() {
    CachedBlock b = filling();
    assertTrue(b.tryPin()); // a waiter
    IOException cause = new IOException("network down");
    assertTrue(b.markFailed(new FetchFailedException("fetch failed", cause)));
    assertTrue(b.isFailed());
    FetchFailedException e = assertThrows(FetchFailedException.class, b::awaitFilled);
    assertSame(cause, e.getCause());
    assertTrue(e.getMessage().contains("block 0 of content " + CONTENT), e.getMessage());
    assertEquals(1, b.pins(), "the waiter's pin is gone; the filler's remains");
    assertThrows(IllegalStateException.class, () -> b.segment().get(ValueLayout.JAVA_BYTE, 0));
  }

  @Test
  void anInterruptedWaiterGetsInterruptedIoExceptionAndKeepsItsInterruptStatus() {
    CachedBlock b = filling();
    assertTrue(b.tryPin());
    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedIOException.class, b::awaitFilled);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
    assertEquals(1, b.pins());
  }

  @Test
  void aFilledBlockDoesNotWait() throws IOException {
    CachedBlock b = filling();
    b.markFilled();
    Thread.currentThread().interrupt();
    try {
      b.awaitFilled();
    } finally {
      assertTrue(Thread.interrupted());
    }
    assertTrue(b.isFilled());
  }
}
