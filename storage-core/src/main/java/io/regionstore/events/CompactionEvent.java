package io.regionstore.events;

import java.nio.file.Path;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A compaction ({@code RegionStore.compact}) that completed: its duration is the whole
 * compaction, the catalog commits inside it included.
 *
 * <p>Not thread-safe: one thread starts and finishes an event.
 */
@Name("io.regionstore.Compaction")
@Label("Compaction")
@Category("RegionStore")
@Description("Regions moved down and free chunks cut off the data file")
public final class CompactionEvent extends Event {
  @Label("Store")
  String store;

  @Label("Regions Moved")
  int regionsMoved;

  @Label("Bytes Moved")
  @DataAmount
  long bytesMoved;

  @Label("File Size Before")
  @DataAmount
  long fileSizeBefore;

  @Label("File Size After")
  @DataAmount
  long fileSizeAfter;

  /** Stops the clock and commits the event with these values if a recording wants it. */
  public void finish(
      Path store, int regionsMoved, long bytesMoved, long fileSizeBefore, long fileSizeAfter) {
    end();
    if (shouldCommit()) {
      this.store = store.toString();
      this.regionsMoved = regionsMoved;
      this.bytesMoved = bytesMoved;
      this.fileSizeBefore = fileSizeBefore;
      this.fileSizeAfter = fileSizeAfter;
      commit();
    }
  }
}
