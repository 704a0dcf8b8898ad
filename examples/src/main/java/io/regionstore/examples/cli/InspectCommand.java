package io.regionstore.examples.cli;

import io.regionstore.RegionReader;
import io.regionstore.RegionStore;
import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Sizes;
import io.regionstore.examples.support.UsageException;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code regionstore inspect <store>}: the store's regions, sizes and catalog state. */
final class InspectCommand implements Subcommand {
  @Override
  public String name() {
    return "inspect";
  }

  @Override
  public String synopsis() {
    return "<store>";
  }

  @Override
  public String summary() {
    return "regions, sizes, free and pending space, catalog generation, chunks";
  }

  @Override
  public String details() {
    return """
        Prints the store's statistics (regions, live, free and pending bytes, data file and
        chunk size, mapped chunks, catalog generation), then one line per region: name, length
        in bytes and number of extents. Changes nothing. If a writer (another process) has the
        store open, the store is opened read-only and free and pending space are unknown. A
        packed file (see pack) is opened read-only; its front and hot section are listed too.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws IOException, UsageException {
    Path path = args.path(0, null);
    String[] locked = {null};
    try (RegionStore store = Stores.openWritableOrReadOnly(path, reason -> locked[0] = reason)) {
      out.println("store:              " + path.toAbsolutePath());
      out.println(
          "opened:             "
              + (locked[0] == null
                  ? "for writing (free and pending space are exact)"
                  : "read-only, at the last durable generation (" + locked[0] + ")"));
      Sizes.statsLines(store.stats(), !store.isReadOnly()).forEach(out::println);
      if (store.isPacked()) {
        PackedFront front = PackedFileReader.read(path);
        out.println("packed front:       " + Sizes.exact(front.frontLength()) + ", hot section "
            + Sizes.count(front.hotRanges().size()) + " ranges of "
            + Sizes.exact(front.frontLength() - front.hotOffset()) + " (with padding)");
      }
      printRegions(store, out);
    }
    return ExitCodes.OK;
  }

  private static void printRegions(RegionStore store, PrintStream out) throws IOException {
    List<String> names = store.list();
    int width = "region".length();
    for (String name : names) {
      width = Math.max(width, name.length());
    }
    String row = "%-" + width + "s  %15s  %7s%n";
    out.println();
    out.printf(Locale.ROOT, row, "region", "length", "extents");
    for (String name : names) {
      try (RegionReader reader = store.openReader(name)) {
        out.printf(
            Locale.ROOT, row, name, Sizes.count(reader.length()), reader.extentCount());
      }
    }
  }
}
