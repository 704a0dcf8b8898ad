package io.regionstore.examples.support;

import io.regionstore.StoreStats;
import java.util.List;
import java.util.Locale;

/**
 * Formats byte counts and store statistics for people. Always in {@link Locale#ROOT}, so output
 * does not depend on the machine's locale. Stateless and thread-safe.
 */
public final class Sizes {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private Sizes() {}

  /** {@code 1536} as {@code "1.5 KiB"}; below 1 KiB the exact count, e.g. {@code "812 B"}. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** {@code "1.5 KiB (1,536 bytes)"}: human and exact. */
  public static String exact(long bytes) {
    return human(bytes) + String.format(Locale.ROOT, " (%,d bytes)", bytes);
  }

  /** A count with thousands separators, e.g. {@code "17,597"}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** One line of the sizes that compaction changes: data file, live, free and pending bytes. */
  public static String spaceLine(StoreStats s) {
    return "data file "
        + human(s.fileSize())
        + ", live "
        + human(s.liveBytes())
        + ", free "
        + human(s.freeBytes())
        + ", pending free "
        + human(s.pendingFreeBytes());
  }

  /**
   * The store statistics every tool prints, one {@code "label: value"} line each: regions, sizes,
   * free and pending space, data file size and the disk space it takes, chunk size and mapped
   * chunks, fsyncs and catalog generation.
   *
   * @param spaceKnown false for a store opened read-only, whose stats have no free or pending
   *     space: only the writer keeps that account
   */
  public static List<String> statsLines(StoreStats s, boolean spaceKnown) {
    long fsyncs = s.catalogSyncs() + s.dataSyncs();
    String unknown = "unknown (store opened read-only: only its writer accounts for free space)";
    return List.of(
        "regions:            " + count(s.regions()) + " (" + count(s.extents()) + " extents)",
        "live bytes:         " + exact(s.liveBytes()),
        "free bytes:         "
            + (spaceKnown
                ? exact(s.freeBytes()) + " in " + count(s.freeExtents()) + " extents"
                : unknown),
        "pending free bytes: " + (spaceKnown ? exact(s.pendingFreeBytes()) : unknown),
        "held by readers:    " + exact(s.heldByReadersBytes()),
        "data file:          " + exact(s.fileSize()) + " (sparse: unwritten space is a hole)",
        "on disk:            "
            + (s.allocatedBytes() < 0 ? "unknown on this system" : exact(s.allocatedBytes()))
            + " (allocated blocks, as du counts; freed space is given back)",
        "chunk size:         " + exact(s.chunkSize()),
        "mapped chunks:      " + s.mappedChunks() + " (by this process)",
        "fsyncs:             "
            + fsyncs
            + " (catalog "
            + s.catalogSyncs()
            + " + data "
            + s.dataSyncs()
            + ", since open)",
        "catalog generation: " + s.generation());
  }
}
