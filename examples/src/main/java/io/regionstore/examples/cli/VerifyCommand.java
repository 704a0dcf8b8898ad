package io.regionstore.examples.cli;

import io.regionstore.RegionStore;
import io.regionstore.examples.support.Arguments;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Sizes;
import io.regionstore.examples.support.UsageException;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * {@code regionstore verify <store>}: the catalog, the space accounting and the Lucene checksum of
 * every file. Exits {@link ExitCodes#PROBLEMS} listing each problem, {@link ExitCodes#FAILURE} if
 * the store does not open at all.
 */
final class VerifyCommand implements Subcommand {
  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String synopsis() {
    return "<store>";
  }

  @Override
  public String summary() {
    return "checks the catalog, the space accounting and every file's Lucene checksum";
  }

  @Override
  public String details() {
    return """
        1. Opens the store: the data file header, the meta pages and the catalog body are
           checksummed on open (a store that does not open exits 3, naming the file).
        2. Checks the space accounting (RegionStore.checkSpace): live, free and pending extents
           must tile the data file. Needs the writer lock; skipped, with a note, if another
           process has the store open for writing.
        3. Reads every file through a read-only RegionDirectory and checks the CRC32 in its
           Lucene codec footer (CodecUtil.checksumEntireFile). A file with neither a codec
           header nor a footer is not a Lucene file: its bytes are read, its checksum skipped,
           with a note. A codec header without a footer is a problem.
        For a packed file (see pack), step 2 is instead: every file's bytes are checked against
        the SHA-256 and CRC32C in the packed catalog, and every hot copy against the bytes it
        copies.
        Lists every problem, naming the file, and exits 1 if there is any.
        """;
  }

  @Override
  public int run(Arguments args, PrintStream out, PrintStream err) throws IOException, UsageException {
    Path path = args.path(0, null);
    List<String> problems = new ArrayList<>();
    checkCatalogAndSpace(path, out, problems);
    int checked = 0;
    int skipped = 0;
    try (RegionDirectory dir = RegionDirectory.openReadOnly(path)) {
      for (String name : dir.listAll()) {
        try {
          if (checkFile(dir, name, out) == Outcome.CHECKSUM_OK) {
            checked++;
          } else {
            skipped++;
          }
        } catch (IOException | RuntimeException e) {
          String problem = e.getMessage() + " (" + e.getClass().getSimpleName() + ")";
          out.println("  FAILED   " + name + ": " + problem);
          problems.add(name + ": " + problem);
        }
      }
    }
    String files = Sizes.count(checked) + " files checksummed, " + Sizes.count(skipped) + " skipped";
    if (problems.isEmpty()) {
      out.println("verify: OK (" + files + ")");
      return ExitCodes.OK;
    }
    out.println(
        "verify: "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + " ("
            + files
            + "):");
    problems.forEach(p -> out.println("  " + p));
    return ExitCodes.PROBLEMS;
  }

  private static void checkCatalogAndSpace(Path path, PrintStream out, List<String> problems)
      throws IOException, UsageException {
    try (RegionStore store =
        Stores.openWritableOrReadOnly(
            path, reason -> out.println("note: space accounting skipped: " + reason))) {
      out.println("verifying store " + path.toAbsolutePath());
      out.println(
          "catalog: generation "
              + store.generation()
              + ", "
              + Sizes.count(store.list().size())
              + " regions; meta pages and catalog body pass their checksums");
      if (store.isPacked()) {
        PackedFileCheck.check(path, store, out, problems);
      }
      if (!store.isReadOnly()) {
        try {
          store.checkSpace();
          out.println(
              "space accounting: OK (live, free and pending extents tile the "
                  + Sizes.human(store.stats().fileSize())
                  + " data file)");
        } catch (IllegalStateException e) {
          out.println("  FAILED   space accounting: " + e.getMessage());
          problems.add("space accounting: " + e.getMessage());
        }
      }
    }
  }

  /** What {@link #checkFile} found when the file has no problem. */
  private enum Outcome {
    CHECKSUM_OK,
    NOT_LUCENE
  }

  /**
   * Checks one file, printing a line about it.
   *
   * @throws IOException describing the problem, e.g. {@code CorruptIndexException} for a checksum
   *     mismatch
   */
  private static Outcome checkFile(Directory dir, String name, PrintStream out) throws IOException {
    try (IndexInput in = dir.openInput(name, IOContext.DEFAULT)) {
      long length = in.length();
      boolean header = length >= Integer.BYTES && CodecUtil.readBEInt(in) == CodecUtil.CODEC_MAGIC;
      boolean footer = false;
      if (length >= CodecUtil.footerLength()) {
        in.seek(length - CodecUtil.footerLength());
        footer = CodecUtil.readBEInt(in) == CodecUtil.FOOTER_MAGIC;
      }
      if (footer) {
        long checksum = CodecUtil.checksumEntireFile(in);
        out.printf(
            Locale.ROOT,
            "  ok       %s (%s bytes, checksum %08x)%n",
            name,
            Sizes.count(length),
            checksum);
        return Outcome.CHECKSUM_OK;
      }
      if (header) {
        throw new CorruptIndexException(
            "has a Lucene codec header but no codec footer (truncated?)", in);
      }
      readAll(in);
      out.println(
          "  skipped  "
              + name
              + ": no Lucene codec header or footer, not a Lucene file (bytes read, no checksum)");
      return Outcome.NOT_LUCENE;
    }
  }

  private static void readAll(IndexInput in) throws IOException {
    byte[] buffer = new byte[1 << 16];
    in.seek(0);
    for (long left = in.length(); left > 0; ) {
      int n = (int) Math.min(buffer.length, left);
      in.readBytes(buffer, 0, n);
      left -= n;
    }
  }
}
