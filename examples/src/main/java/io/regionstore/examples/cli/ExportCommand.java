package io.regionstore.examples.cli;

import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Sizes;
import io.regionstore.examples.support.UsageException;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.store.FSDirectory;

/** {@code regionstore export <store> <folder>}: every file of the store into a plain folder. */
final class ExportCommand implements Subcommand {
  @Override
  public String name() {
    return "export";
  }

  @Override
  public String synopsis() {
    return "<store> <folder>";
  }

  @Override
  public String summary() {
    return "copies every file into a plain folder that an FSDirectory opens";
  }

  @Override
  public String details() {
    return """
        Copies every file of the store's last durable generation into <folder>, one plain file
        each, so that FSDirectory.open(<folder>) opens the same index; then fsyncs the files
        and the folder. Reads the store read-only, so a writer may keep running. <folder> must
        be missing or empty.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws IOException, UsageException {
    Path store = args.path(0, null);
    Path folder = args.path(1, null);
    if (!Stores.isMissingOrEmptyFolder(folder)) {
      throw new UsageException("target folder " + folder + " is not empty");
    }
    try (RegionDirectory from = RegionDirectory.openReadOnly(store)) {
      Files.createDirectories(folder);
      try (FSDirectory to = FSDirectory.open(folder)) {
        List<String> names = List.of(from.listAll());
        long bytes = FileCopier.copy(from, to, names, err);
        out.println(
            "exported "
                + Sizes.count(names.size())
                + " files ("
                + Sizes.exact(bytes)
                + ") from "
                + store
                + " to "
                + folder);
      }
    }
    return ExitCodes.OK;
  }
}
