package io.regionstore.cache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One occupancy of a cache slot: a block of a content, the zero-copy view of its bytes, and the
 * pins that keep it from eviction. {@link CachedContent#pin} returns it pinned; the caller reads
 * {@link #segment()} and calls {@link #unpin()} exactly once per pin.
 *
 * <p>The view lives in an {@link Arena} of this occupancy alone. Evicting the block closes that
 * arena before the slot is refilled, so every view of it, even one kept after {@code unpin()},
 * then throws {@link IllegalStateException} (the JDK's check) instead of showing another block's
 * bytes. While pinned, the block is never evicted. Every pin of this block returns this same
 * object and the same view.
 *
 * <p>A thread that is reading an unpinned view at the very moment its block is evicted gets the
 * exception asynchronously (the JDK's handshake for closing a shared arena), and HotSpot sets that
 * thread's interrupt status with it. Read under a pin to avoid both; a reader that keeps views
 * without pins should clear an interrupt it did not expect after catching the exception.
 *
 * <p>Thread-safe. Pinning is a compare-and-set on a counter; nothing else is locked.
 */
public final class CachedBlock {
  private static final VarHandle PINS;
  private static final VarHandle USES;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PINS = l.findVarHandle(CachedBlock.class, "pins", int.class);
      USES = l.findVarHandle(CachedBlock.class, "uses", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int RETIRED = -1;
  private static final int MAX_USES = 3;

  private static final int FILLING = 0;
  private static final int FILLED = 1;
  private static final int FAILED = 2;

  final BlockKey key;
  final int slot;
  private final Arena arena;
  private final MemorySegment view;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  /** Pin count, or RETIRED once evicted. */
  private volatile int pins;
  /** Accesses since admission or the last eviction pass, capped at 3 (S3-FIFO's frequency). */
  @SuppressWarnings("unused")
  private int uses;
  private volatile int state = FILLING;
  /** Whether the block sits in the main queue (else the small one); under the table's lock. */
  boolean inMain;
  /**
   * The prefetch run that will fill this block while it is queued, else null. Set just after the
   * block is shared: a reader that sees null waits for the prefetch thread instead of fetching.
   */
  volatile PrefetchRun prefetch;

  /** A new occupancy of {@code slot} (whole slot {@code slotSegment}), filling, pinned once. */
  CachedBlock(BlockKey key, int slot, MemorySegment slotSegment, long length) {
    this.key = key;
    this.slot = slot;
    this.arena = Arena.ofShared();
    this.view = slotSegment.asSlice(0, length).reinterpret(arena, null);
    this.pins = 1;
  }

  /**
   * The block's bytes: a view of the slot, exactly the block's length (the content's last block is
   * shorter). Valid until the block is evicted, then every access throws {@link
   * IllegalStateException}; pin the block to keep it.
   */
  public MemorySegment segment() {
    return view;
  }

  /** The content this block belongs to. */
  public ContentId content() {
    return key.content();
  }

  /** The block's index in its content. */
  public long index() {
    return key.index();
  }

  /**
   * Releases one pin. The view stays readable until the block is evicted. Does nothing once the
   * cache is closed (every block is gone then).
   *
   * @throws IllegalStateException if the block has no pin left (unpinned more often than pinned)
   */
  public void unpin() {
    int p;
    do {
      p = pins;
      if (p == RETIRED) {
        return; // only close() retires a pinned block
      }
      if (p == 0) {
        throw new IllegalStateException("unpin of " + key + " that is not pinned");
      }
    } while (!PINS.compareAndSet(this, p, p - 1));
  }

  /** Adds a pin unless the block was evicted. */
  boolean tryPin() {
    int p;
    do {
      p = pins;
      if (p == RETIRED) {
        return false;
      }
    } while (!PINS.compareAndSet(this, p, p + 1));
    return true;
  }

  /** Current pins (RETIRED once evicted). */
  int pins() {
    return pins;
  }

  /** Counts an access, for the eviction policy; a plain write, and none once at the cap. */
  void touch() {
    int u = (int) USES.getOpaque(this);
    if (u < MAX_USES) {
      USES.setOpaque(this, u + 1);
    }
  }

  /** Accesses counted since the last {@link #setUses}. */
  int uses() {
    return (int) USES.getOpaque(this);
  }

  void setUses(int uses) {
    USES.setOpaque(this, uses);
  }

  boolean isFilled() {
    return state == FILLED;
  }

  boolean isFailed() {
    return state == FAILED;
  }

  /** The fetch wrote the bytes: waiters see them. */
  void markFilled() {
    state = FILLED;
    done.complete(null);
  }

  /**
   * The fetch failed: waiters get {@code cause}. Returns whether the view could be killed (it can
   * not while a native call, e.g. a channel read, still holds it; the caller must not reuse the
   * slot then).
   */
  boolean markFailed(FetchFailedException cause) {
    state = FAILED;
    done.completeExceptionally(cause);
    return closeArena();
  }

  /**
   * Waits until the block is filled. On failure, or if interrupted, releases the caller's pin and
   * throws.
   *
   * @throws FetchFailedException whose cause is the fetcher's exception
   * @throws InterruptedIOException if interrupted while waiting
   */
  void awaitFilled() throws IOException {
    if (state == FILLED) {
      return;
    }
    try {
      done.get();
    } catch (InterruptedException e) {
      unpin();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the fetch of " + key);
    } catch (ExecutionException e) {
      unpin();
      FetchFailedException failed = (FetchFailedException) e.getCause();
      throw new FetchFailedException("fetch of " + key + " failed", failed.getCause());
    }
  }

  /**
   * Evicts the block if nobody pins it: no new pin succeeds after this, and every view dies.
   * Returns false, changing nothing, if it is pinned or a native call holds its view.
   */
  boolean tryRetire() {
    if (!PINS.compareAndSet(this, 0, RETIRED)) {
      return false;
    }
    if (!closeArena()) {
      pins = 0;
      return false;
    }
    return true;
  }

  /**
   * Kills every view (the cache is closing); pins no longer matter. Returns false if a native call
   * still holds the view; call again.
   */
  boolean kill(FetchFailedException cause) {
    pins = RETIRED;
    if (state == FILLING) {
      state = FAILED;
      done.completeExceptionally(cause);
    }
    return closeArena();
  }

  private boolean closeArena() {
    try {
      if (arena.scope().isAlive()) {
        arena.close();
      }
      return true;
    } catch (IllegalStateException e) {
      // A native call (e.g. a channel read into the view) holds the arena; retry later.
      return false;
    }
  }

  @Override
  public String toString() {
    return key + " in slot " + slot + " (pins " + pins + ")";
  }
}
