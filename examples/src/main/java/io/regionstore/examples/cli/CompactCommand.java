package io.regionstore.examples.cli;

import io.regionstore.CompactionResult;
import io.regionstore.RegionStore;
import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Sizes;
import io.regionstore.examples.support.UsageException;
import java.io.IOException;
import java.io.PrintStream;

/** {@code regionstore compact <store>}: {@link RegionStore#compact()}, with sizes before and after. */
final class CompactCommand implements Subcommand {
  @Override
  public String name() {
    return "compact";
  }

  @Override
  public String synopsis() {
    return "<store>";
  }

  @Override
  public String summary() {
    return "moves regions to lower offsets and shrinks the data file";
  }

  @Override
  public String details() {
    return """
        Rewrites live regions to lower offsets and cuts free chunks off the end of the data
        file (RegionStore.compact), then prints the sizes before and after. The result is
        durable when the command returns. Needs the store's writer lock: fails if another
        process has the store open for writing.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws IOException, UsageException {
    try (RegionStore store = Stores.openExisting(args.path(0, null))) {
      out.println("before: " + Sizes.spaceLine(store.stats()));
      CompactionResult result = store.compact();
      out.println(
          "moved "
              + Sizes.count(result.regionsMoved())
              + (result.regionsMoved() == 1 ? " region (" : " regions (")
              + Sizes.human(result.bytesMoved())
              + ")");
      out.println("after:  " + Sizes.spaceLine(store.stats()));
      out.println(
          "data file: "
              + Sizes.exact(result.fileSizeBefore())
              + " -> "
              + Sizes.exact(result.fileSizeAfter()));
    }
    return ExitCodes.OK;
  }
}
