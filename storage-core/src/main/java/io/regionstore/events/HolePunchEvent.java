package io.regionstore.events;

import java.nio.file.Path;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One batch of holes punched in the data file after a commit, giving free space back to the file
 * system: its duration covers every {@code fallocate} of the batch.
 *
 * <p>Not thread-safe: one thread starts and finishes an event.
 */
@Name("io.regionstore.HolePunch")
@Label("Hole Punch")
@Category("RegionStore")
@Description("Free ranges of the data file given back to the file system")
public final class HolePunchEvent extends Event {
  @Label("File")
  String file;

  @Label("Ranges")
  int ranges;

  @Label("Bytes")
  @DataAmount
  long bytes;

  @Label("Punched")
  @Description("False if punching is unavailable, refused by the file system, or failed")
  boolean punched;

  @Label("Error")
  @Description("Why a punch failed, or null")
  String error;

  /**
   * Stops the clock and commits the event with these values if a recording wants it.
   *
   * @param ranges offset and length pairs
   * @param error the failure's message, or null
   */
  public void finish(Path file, long[] ranges, boolean punched, String error) {
    end();
    if (shouldCommit()) {
      this.file = file.toString();
      this.ranges = ranges.length / 2;
      long sum = 0;
      for (int i = 1; i < ranges.length; i += 2) {
        sum += ranges[i];
      }
      this.bytes = sum;
      this.punched = punched;
      this.error = error;
      commit();
    }
  }
}
