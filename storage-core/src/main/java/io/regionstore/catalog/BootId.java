package io.regionstore.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The id of the current boot of this machine (Linux: {@code /proc/sys/kernel/random/boot_id}), or
 * null where the OS does not tell. Writes lost to a power failure are lost across a reboot, so a
 * catalog stamped with the current boot id needs no check that its regions reached the disk.
 */
public final class BootId {
  private static final UUID CURRENT = read();

  private BootId() {}

  /** This boot's id, or null if unknown (then every open checks the newest generation). */
  public static UUID current() {
    return CURRENT;
  }

  private static UUID read() {
    try {
      return UUID.fromString(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim());
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
