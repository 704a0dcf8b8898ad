package io.regionstore.cache;

import java.io.IOException;

/**
 * A miss found no slot to fill: the cache is at its maximum capacity and every slot is pinned (or
 * being filled), so nothing can be evicted. The cache never grows past its maximum instead; unpin
 * blocks (or pin fewer at once) and retry.
 */
public final class CacheFullException extends IOException {
  private static final long serialVersionUID = 1L;

  CacheFullException(String message) {
    super(message);
  }
}
