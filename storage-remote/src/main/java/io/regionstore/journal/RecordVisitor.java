package io.regionstore.journal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** Receives the records of an {@link AppendOnlyJournal}, in order. */
@FunctionalInterface
public interface RecordVisitor {
  /**
   * @param position the record's position in the journal
   * @param payload the record's bytes: read-only, valid only during this call
   */
  void visit(long position, MemorySegment payload) throws IOException;
}
