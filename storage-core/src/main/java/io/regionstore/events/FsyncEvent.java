package io.regionstore.events;

import java.nio.file.Path;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One fsync or fdatasync of a store file: its duration is the system call's.
 *
 * <p>Not thread-safe: one thread starts and finishes an event.
 */
@Name("io.regionstore.Fsync")
@Label("Fsync")
@Category("RegionStore")
@Description("An fsync or fdatasync of a store file")
public final class FsyncEvent extends Event {
  @Label("File")
  String file;

  @Label("Purpose")
  @Description("Why: \"catalog generation N\", \"regions\", \"rejected meta page\" or \"create\"")
  String purpose;

  @Label("Succeeded")
  boolean succeeded;

  /** Stops the clock and commits the event with these values if a recording wants it. */
  public void finish(Path file, String purpose, boolean succeeded) {
    end();
    if (shouldCommit()) {
      this.file = file.toString();
      this.purpose = purpose;
      this.succeeded = succeeded;
      commit();
    }
  }
}
