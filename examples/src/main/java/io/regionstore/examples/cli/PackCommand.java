package io.regionstore.examples.cli;

import io.regionstore.RegionStore;
import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Sizes;
import io.regionstore.examples.support.UsageException;
import io.regionstore.lucene.RegionDirectory;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;

/** {@code regionstore pack <store> <file>}: the last commit as one immutable, exact-size file. */
final class PackCommand implements Subcommand {
  @Override
  public String name() {
    return "pack";
  }

  @Override
  public String synopsis() {
    return "<store> <file>";
  }

  @Override
  public String summary() {
    return "writes the last commit as one exact-size file to copy, upload or serve";
  }

  @Override
  public String details() {
    return """
        Writes the store's last durable generation (its last Lucene commit) into <file>: a
        header, a meta page, the catalog with a SHA-256 per file, a hot section holding the
        bytes DirectoryReader.open reads plus every file of up to 16 KiB whole, then every
        file back to back, 64-byte aligned. The file is exactly as long as that content (no
        sparse chunk padding), so scp, container layers and object stores copy it as is, and
        packing the same commit twice gives the same bytes. Reads the store read-only, so a
        writer may keep running. <store> may itself be a packed file. <file> must not exist.
        A store without a Lucene commit is packed without a hot section.

        inspect and verify take the packed file in place of a store folder, and
        RegionDirectory.openReadOnly(<file>) searches it.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws IOException, UsageException {
    Path store = args.path(0, null);
    Path file = args.path(1, null);
    if (Files.exists(file)) {
      throw new UsageException("target file " + file + " exists");
    }
    Stores.requireStore(store);
    Files.createDirectories(file.toAbsolutePath().getParent());
    PackLayout layout;
    try (RegionDirectory dir = RegionDirectory.openReadOnly(store)) {
      if (DirectoryReader.indexExists(dir)) {
        layout = dir.pack(file);
      } else {
        out.println("note: no Lucene commit in " + store + ": packed without a hot section");
        try (RegionStore plain = RegionStore.openReadOnly(store)) {
          layout = plain.pack(file);
        }
      }
    }
    out.println("packed generation " + layout.generation() + " of " + store + " (" + Sizes.count(layout.regionCount())
        + " files) into " + file);
    out.println("file:           " + Sizes.exact(layout.fileLength()) + ", exactly front + files");
    out.println("front:          " + Sizes.exact(layout.frontLength()) + " (" + requests(layout.frontLength())
        + " to open remotely: header, meta page, catalog " + Sizes.exact(layout.catalogLength()) + ", pack index "
        + Sizes.exact(layout.indexLength()) + ", hot section " + Sizes.exact(layout.hotLength()) + " in "
        + Sizes.count(layout.hotRanges()) + " ranges)");
    out.println("files:          " + Sizes.exact(layout.regionBytes()) + " (64-byte aligned)");
    return ExitCodes.OK;
  }

  private static String requests(long front) {
    return front <= PackFormat.FIRST_WINDOW ? "1 request" : "2 requests";
  }
}
