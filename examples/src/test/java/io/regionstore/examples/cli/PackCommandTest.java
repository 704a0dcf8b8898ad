package io.regionstore.examples.cli;

import static io.regionstore.examples.cli.CliTest.cli;
import static io.regionstore.examples.cli.CliTest.files;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionReader;
import io.regionstore.RegionStore;
import io.regionstore.RegionWriter;
import io.regionstore.examples.Captured;
import io.regionstore.examples.SearchDemo;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.lucene.RegionDirectory;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.index.DirectoryReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regionstore pack}, and {@code inspect} and {@code verify} on the packed file. */
class PackCommandTest {
  static final int DOCS = 300;

  @TempDir static Path shared;
  static Path index;
  static Path packed;

  @TempDir Path tmp;

  @BeforeAll
  static void buildAndPack() {
    index = shared.resolve("index");
    packed = shared.resolve("out").resolve("index.pack");
    Captured demo = Captured.run(SearchDemo::run, index.toString(), "--docs", Integer.toString(DOCS));
    assertEquals(ExitCodes.OK, demo.exit(), demo::toString);
    Captured pack = cli("pack", index, packed);
    assertEquals(ExitCodes.OK, pack.exit(), pack::toString);
  }

  @Test
  void packWritesAnExactSizeFileThatSearchesLikeTheStore() throws IOException {
    Path again = tmp.resolve("again.pack");
    Captured run = cli("pack", index, again);
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(again));
    String[] names = files(index);
    List<String> lines = run.outLines();
    assertEquals(4, lines.size(), run.out());
    assertTrue(lines.get(0).matches("packed generation \\d+ of " + Pattern.quote(index.toString()) + " \\(" + names.length
        + " files\\) into " + Pattern.quote(again.toString())), lines.get(0));
    Matcher file = Pattern.compile("file: +.+ \\(([\\d,]+) bytes\\), exactly front \\+ files").matcher(lines.get(1));
    assertTrue(file.matches(), lines.get(1));
    assertEquals(Files.size(again), number(file.group(1)));
    Matcher front = Pattern.compile("front: +.+ \\(([\\d,]+) bytes\\) \\((\\d) requests? to open remotely: .+ ranges\\)")
        .matcher(lines.get(2));
    assertTrue(front.matches(), lines.get(2));
    PackedFront parsed = PackedFileReader.read(again);
    assertEquals(parsed.frontLength(), number(front.group(1)));
    assertEquals(parsed.frontLength() <= PackFormat.FIRST_WINDOW ? 1 : 2, Integer.parseInt(front.group(2)));
    Matcher regions = Pattern.compile("files: +.+ \\(([\\d,]+) bytes\\) \\(64-byte aligned\\)").matcher(lines.get(3));
    assertTrue(regions.matches(), lines.get(3));
    assertEquals(Files.size(again), parsed.frontLength() + number(regions.group(1)));
    assertTrue(Files.size(again) < Files.size(index.resolve("regionstore.data")) / 10, "packed " + Files.size(again));

    try (RegionDirectory dir = RegionDirectory.openReadOnly(again);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(DOCS, reader.numDocs());
      assertEquals(List.of(names), List.of(dir.listAll()));
    }
    Path fromPacked = tmp.resolve("from-packed.pack");
    assertEquals(ExitCodes.OK, cli("pack", again, fromPacked).exit());
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(fromPacked));
  }

  @Test
  void anExistingTargetOrAMissingStoreIsRefused() {
    Captured exists = cli("pack", index, packed);
    assertEquals(ExitCodes.USAGE, exists.exit(), exists::toString);
    assertEquals(List.of("regionstore: target file " + packed + " exists", "Try 'regionstore --help'."), exists.errLines());
    Path missing = tmp.resolve("nothing-here");
    Captured none = cli("pack", missing, tmp.resolve("x.pack"));
    assertEquals(ExitCodes.FAILURE, none.exit(), none::toString);
    assertEquals(List.of("regionstore: no RegionStore in " + missing + " (" + missing.resolve("regionstore.data")
        + " does not exist)"), none.errLines());
    Captured compact = cli("compact", packed);
    assertEquals(ExitCodes.USAGE, compact.exit(), compact::toString);
    assertEquals("regionstore: " + packed + " is a packed store file, which is immutable", compact.errLines().get(0));
  }

  @Test
  void inspectAndVerifyTakeThePackedFile() throws IOException {
    Captured inspect = cli("inspect", packed);
    assertEquals(ExitCodes.OK, inspect.exit(), inspect::toString);
    List<String> lines = inspect.outLines();
    assertEquals("store:              " + packed.toAbsolutePath(), lines.get(0));
    assertEquals("opened:             read-only, at the last durable generation (" + Stores.PACKED + ")", lines.get(1));
    PackedFront front = PackedFileReader.read(packed);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("packed front:       ") && l.contains("(" + String.format(java.util.Locale.ROOT, "%,d", front.frontLength())
        + " bytes), hot section " + front.hotRanges().size() + " ranges")), inspect.out());
    String[] names = files(index);
    for (String name : names) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + " ")), name + " in " + inspect.out());
    }

    Captured verify = cli("verify", packed);
    assertEquals(ExitCodes.OK, verify.exit(), verify::toString);
    List<String> v = verify.outLines();
    assertEquals("note: space accounting skipped: " + Stores.PACKED, v.get(0));
    assertEquals("verifying store " + packed.toAbsolutePath(), v.get(1));
    assertEquals("packed file: " + names.length + " files match their SHA-256 and CRC32C; " + front.hotRanges().size()
        + " hot copies match; front " + String.format(java.util.Locale.ROOT, "%.1f KiB (%,d bytes)", front.frontLength() / 1024.0, front.frontLength())
        + (front.frontLength() <= PackFormat.FIRST_WINDOW ? " fits" : " exceeds") + " the 64.0 KiB first window", v.get(3));
    assertEquals("verify: OK (" + names.length + " files checksummed, 0 skipped)", v.getLast());
  }

  @Test
  void aFlippedByteInTheFrontIsCorruptAndOneInAFileIsAProblem() throws IOException {
    Path front = tmp.resolve("front.pack");
    Files.copy(packed, front);
    Corruption.flipByte(front, PackFormat.META_PAGE_OFFSET + 100);
    for (String command : List.of("inspect", "verify")) {
      Captured run = cli(command, front);
      assertEquals(ExitCodes.FAILURE, run.exit(), run::toString);
      assertEquals(1, run.errLines().size(), run::toString);
      assertTrue(run.err().startsWith("regionstore: corrupt store: meta page checksum mismatch"), run.err());
      assertTrue(run.err().contains("(file " + front + ", offset " + (PackFormat.META_PAGE_OFFSET + 4092) + ")"), run.err());
    }
    Captured pack = cli("pack", front, tmp.resolve("x.pack"));
    assertEquals(ExitCodes.FAILURE, pack.exit(), pack::toString);

    Path cut = tmp.resolve("cut.pack");
    Files.copy(packed, cut);
    try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
      f.setLength(f.length() - 64);
    }
    Captured truncated = cli("verify", cut);
    assertEquals(ExitCodes.FAILURE, truncated.exit(), truncated::toString);
    assertTrue(truncated.err().contains("(truncated) (file " + cut + ", offset 40)"), truncated.err());

    PackedFront parsed = PackedFileReader.read(packed);
    String victim = parsed.regions().stream().filter(r -> r.length() > 10_000).findFirst().orElseThrow().name();
    Path region = tmp.resolve("region.pack");
    Files.copy(packed, region);
    Corruption.flipByte(region, parsed.region(victim).fileOffset(5000));
    Captured verify = cli("verify", region);
    assertEquals(ExitCodes.PROBLEMS, verify.exit(), verify::toString);
    assertTrue(verify.outLines().contains("  FAILED   " + victim + ": bytes do not match the SHA-256 and CRC32C in the catalog"),
        verify.out());
    assertTrue(verify.outLines().stream().anyMatch(l -> l.startsWith("  " + victim + ": checksum failed")), verify.out());
  }

  @Test
  void aStoreWithoutALuceneCommitIsPackedWithoutAHotSection() throws IOException {
    Path store = tmp.resolve("plain");
    byte[] notes = "not a Lucene file".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (RegionStore s = RegionStore.open(store)) {
      try (RegionWriter w = s.create("notes.txt")) {
        w.write(notes, 0, notes.length);
      }
      s.syncMetadata();
    }
    Path file = tmp.resolve("plain.pack");
    Captured run = cli("pack", store, file);
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    assertEquals("note: no Lucene commit in " + store + ": packed without a hot section", run.outLines().get(0));
    assertEquals(0, PackedFileReader.read(file).hotRanges().size());
    try (RegionStore packed = RegionStore.openReadOnly(file); RegionReader r = packed.openReader("notes.txt")) {
      byte[] read = new byte[notes.length];
      r.read(0, read, 0, read.length);
      assertArrayEquals(notes, read);
    }
    Captured verify = cli("verify", file);
    assertEquals(ExitCodes.OK, verify.exit(), verify::toString);
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
