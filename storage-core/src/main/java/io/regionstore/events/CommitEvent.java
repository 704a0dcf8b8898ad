package io.regionstore.events;

import java.nio.file.Path;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * A catalog commit that became durable ({@code RegionStore.syncMetadata}): its duration runs from
 * the namespace snapshot to the end of the fdatasync. Not emitted for a commit that failed.
 *
 * <p>Not thread-safe: one thread starts and finishes an event.
 */
@Name("io.regionstore.Commit")
@Label("Catalog Commit")
@Category("RegionStore")
@Description("A catalog generation written and made durable with one fdatasync")
public final class CommitEvent extends Event {
  @Label("Store")
  String store;

  @Label("Generation")
  long generation;

  @Label("Regions")
  @Description("Regions the generation names")
  int regions;

  @Label("Region Bytes")
  @DataAmount
  @Description("Sum of the lengths of the regions the generation names")
  long regionBytes;

  @Label("Catalog Bytes")
  @DataAmount
  @Description("Length of the catalog body written")
  long catalogBytes;

  @Label("Fsync Time")
  @Timespan(Timespan.NANOSECONDS)
  long fsyncTime;

  /** Stops the clock and commits the event with these values if a recording wants it. */
  public void finish(
      Path store, long generation, int regions, long regionBytes, long catalogBytes, long fsyncNanos) {
    end();
    if (shouldCommit()) {
      this.store = store.toString();
      this.generation = generation;
      this.regions = regions;
      this.regionBytes = regionBytes;
      this.catalogBytes = catalogBytes;
      this.fsyncTime = fsyncNanos;
      commit();
    }
  }
}
