package io.regionstore.cache;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polls a condition in tests, failing after 30 s. */
final class Waiting {
  private Waiting() {}

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached in 30 s");
      }
      Thread.sleep(1);
    }
  }

  /** {@link #await} for code that cannot throw InterruptedException (e.g. inside a fetcher). */
  static void awaitUnchecked(BooleanSupplier condition) {
    try {
      await(condition);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
