package io.regionstore.examples.cli;

import io.regionstore.RegionStore;
import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Sizes;
import io.regionstore.examples.support.UsageException;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.FSDirectory;

/** {@code regionstore import <folder> <store>}: a plain folder's files into a new store. */
final class ImportCommand implements Subcommand {
  @Override
  public String name() {
    return "import";
  }

  @Override
  public String synopsis() {
    return "<folder> <store>";
  }

  @Override
  public String summary() {
    return "copies a plain folder's files (e.g. an FSDirectory index) into a new store";
  }

  @Override
  public String details() {
    return """
        Copies every regular file of <folder> (but write.lock, which is a lock, not data) into
        the store <store> as a file of a RegionDirectory, then makes them durable
        (syncMetaData). <store> must be missing, an empty folder or a store without files.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws IOException, UsageException {
    Path folder = args.path(0, null);
    Path store = args.path(1, null);
    if (!Files.isDirectory(folder)) {
      throw new NoSuchFileException(folder.toString(), null, "no folder to import");
    }
    requireEmptyTarget(store);
    try (FSDirectory from = FSDirectory.open(folder);
        RegionDirectory to = new RegionDirectory(store)) {
      List<String> names = new ArrayList<>();
      for (String name : from.listAll()) {
        if (name.equals(IndexWriter.WRITE_LOCK_NAME)) {
          out.println("skipped " + name + ": a lock file, not data");
        } else if (!Files.isRegularFile(folder.resolve(name))) {
          out.println("skipped " + name + ": not a regular file");
        } else {
          names.add(name);
        }
      }
      long bytes = FileCopier.copy(from, to, names, err);
      out.println(
          "imported "
              + Sizes.count(names.size())
              + " files ("
              + Sizes.exact(bytes)
              + ") from "
              + folder
              + " into store "
              + store);
    }
    return ExitCodes.OK;
  }

  /** The target must be missing, an empty folder, or a store without regions. */
  private static void requireEmptyTarget(Path store) throws IOException, UsageException {
    if (Stores.isMissingOrEmptyFolder(store)) {
      return;
    }
    int files;
    try (RegionStore existing = RegionStore.openReadOnly(store)) {
      files = existing.list().size();
    } catch (NoSuchFileException e) {
      throw new UsageException("target " + store + " is a folder that is not empty and holds no store");
    }
    if (files > 0) {
      throw new UsageException("target store " + store + " is not empty: it holds " + files + " files");
    }
  }
}
