package io.regionstore.journal;

import java.lang.foreign.MemorySegment;

/** Chooses the records an {@link AppendOnlyJournal#prune} keeps. */
@FunctionalInterface
public interface RecordFilter {
  /**
   * @param position the record's position in the journal before pruning
   * @param payload the record's bytes: read-only, valid only during this call
   * @return true to keep the record
   */
  boolean keep(long position, MemorySegment payload);
}
