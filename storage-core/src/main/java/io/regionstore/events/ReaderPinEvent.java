package io.regionstore.events;

import java.nio.file.Path;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A read-only process changed the catalog generation it pins in the store's reader table (the
 * oldest generation whose space the writer must not reuse for it): emitted by that process when
 * the pinned value changes, including to 0 when the slot is released.
 *
 * <p>Not thread-safe: one thread starts and finishes an event.
 */
@Name("io.regionstore.ReaderPin")
@Label("Reader Pin")
@Category("RegionStore")
@Description("A read-only process's pinned catalog generation changed")
public final class ReaderPinEvent extends Event {
  @Label("Reader Table")
  String file;

  @Label("Slot")
  int slot;

  @Label("Process Id")
  long pid;

  @Label("Previous Generation")
  @Description("0 if nothing was pinned")
  long previousGeneration;

  @Label("Generation")
  @Description("0 if the pin was released")
  long generation;

  /** Stops the clock and commits the event with these values if a recording wants it. */
  public void finish(Path file, int slot, long pid, long previousGeneration, long generation) {
    end();
    if (shouldCommit()) {
      this.file = file.toString();
      this.slot = slot;
      this.pid = pid;
      this.previousGeneration = previousGeneration;
      this.generation = generation;
      commit();
    }
  }
}
