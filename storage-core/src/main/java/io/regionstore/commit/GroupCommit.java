package io.regionstore.commit;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coalesces concurrent requests for one expensive flush (an fsync) by leader and follower.
 *
 * <p>Work to be flushed is counted by a monotonic ticket: a caller passes the ticket of the last
 * work it needs covered. If a flush that started after that work finished has completed, the
 * caller returns at once. Otherwise, if no flush is running, the caller becomes the leader and
 * runs one; if one is running, the caller waits for it and then checks again (the running flush
 * may have started before the caller's work finished, so it may not cover it).
 *
 * <p>A failed flush throws to its leader; waiting followers then try again themselves, so each
 * caller sees either its own success or a failure. Whether a failure may be retried at all is the
 * {@link Flush}'s business (the store refuses after a failed fsync).
 *
 * <p>Thread-safe.
 */
public final class GroupCommit {
  /** One flush. */
  @FunctionalInterface
  public interface Flush {
    /**
     * Flushes everything finished so far.
     *
     * @return the ticket of the newest work the flush covered
     */
    long flush() throws IOException;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition finished = lock.newCondition();
  private final Flush flush;
  private long covered;
  private boolean running;
  private long flushes;

  /**
   * @param flush the flush to run
   * @param covered the ticket already covered at start
   */
  public GroupCommit(Flush flush, long covered) {
    this.flush = flush;
    this.covered = covered;
  }

  /**
   * Returns once a flush covering {@code ticket} has completed, running one if needed.
   *
   * @throws IOException if the flush this caller led failed
   */
  public void await(long ticket) throws IOException {
    lock.lock();
    try {
      while (covered < ticket) {
        if (running) {
          finished.awaitUninterruptibly();
          continue;
        }
        running = true;
        long newlyCovered = -1;
        lock.unlock();
        try {
          newlyCovered = flush.flush();
        } finally {
          lock.lock();
          running = false;
          if (newlyCovered >= 0) {
            flushes++;
            covered = Math.max(covered, newlyCovered);
          }
          finished.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many flushes completed. */
  public long flushes() {
    lock.lock();
    try {
      return flushes;
    } finally {
      lock.unlock();
    }
  }

  /** The newest ticket a completed flush covered. */
  public long covered() {
    lock.lock();
    try {
      return covered;
    } finally {
      lock.unlock();
    }
  }
}
