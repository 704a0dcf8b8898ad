package io.regionstore;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Readers that share one view scope ({@link Arena}): the views of every member die together when
 * the last member closes, and only then are the members' regions released (their space may be
 * reused). Closing a shared arena costs a handshake with every JVM thread; a group pays it once for
 * all its members, as Lucene's {@code MMapDirectory} does for the files of one segment.
 *
 * <p>A group takes at most {@link #MAX_MEMBERS} members over its life, so that closed members do not
 * hold their space indefinitely while new ones keep joining; after that, {@link #join} refuses and
 * the store starts a new group for the key.
 *
 * <p>Thread-safe.
 */
final class ReaderGroup {
  /** Members a group takes over its life (as Lucene's default for its shared arenas). */
  static final int MAX_MEMBERS = 1024;

  private final Arena arena = Arena.ofShared();
  private final Consumer<ReaderGroup> onClose;
  private final List<Region> released = new ArrayList<>();
  private int open;
  private int joined;
  private boolean closed;

  /** @param onClose called once the last member has closed and the arena is closed */
  ReaderGroup(Consumer<ReaderGroup> onClose) {
    this.onClose = onClose;
  }

  /** The scope of every member's views. */
  Arena arena() {
    return arena;
  }

  /** Counts a new member; false if the group is closed or full (the caller starts a new one). */
  synchronized boolean join() {
    if (closed || joined == MAX_MEMBERS) {
      return false;
    }
    open++;
    joined++;
    return true;
  }

  /**
   * A member closed; its region is released with the group. The last member closes the arena
   * (every member's views die) and then releases every member's region.
   *
   * @return the regions to release now: empty unless this was the last member
   */
  List<Region> left(Region region) {
    synchronized (this) {
      released.add(region);
      if (--open > 0) {
        return List.of();
      }
      closed = true;
    }
    arena.close();
    onClose.accept(this);
    return released;
  }

  /** Whether the last member has closed. */
  synchronized boolean isClosed() {
    return closed;
  }
}
