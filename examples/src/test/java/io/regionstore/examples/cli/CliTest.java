package io.regionstore.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionReader;
import io.regionstore.RegionStore;
import io.regionstore.RegionWriter;
import io.regionstore.StoreOptions;
import io.regionstore.examples.Captured;
import io.regionstore.examples.SearchDemo;
import io.regionstore.examples.support.ExitCodes;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every subcommand of {@link RegionStoreCli}, run in this JVM, on an index the SearchDemo built. */
class CliTest {
  static final int DOCS = 400;

  @TempDir static Path shared;
  static Path index;

  @TempDir Path tmp;

  @BeforeAll
  static void buildIndex() {
    index = shared.resolve("index");
    Captured demo = Captured.run(SearchDemo::run, index.toString(), "--docs", Integer.toString(DOCS));
    assertEquals(ExitCodes.OK, demo.exit(), demo::toString);
  }

  static Captured cli(Object... args) {
    return Captured.run(RegionStoreCli::run, Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
  }

  static String[] files(Path store) throws IOException {
    try (RegionDirectory dir = RegionDirectory.openReadOnly(store)) {
      return dir.listAll();
    }
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Captured help = cli("--help");
    assertEquals(ExitCodes.OK, help.exit(), help::toString);
    assertTrue(help.out().startsWith("Usage: regionstore [--debug] <command> <args>\n"), help.out());
    for (Subcommand c : RegionStoreCli.COMMANDS) {
      assertTrue(help.outLines().contains(String.format(Locale.ROOT, "  %-26s %s", c.name() + " " + c.synopsis(), c.summary())), help.out());
      Captured own = cli(c.name(), "--help");
      assertEquals(ExitCodes.OK, own.exit(), own::toString);
      assertTrue(own.out().startsWith("Usage: regionstore [--debug] " + c.name() + " " + c.synopsis() + "\n"), own.out());
      assertTrue(own.out().contains("Exit codes:"), own.out());
    }
    for (String code : List.of("  0  success", "  1  problems found (verify lists each one)", "  3  the store is missing, corrupt or locked by a writer, or an I/O error")) {
      assertTrue(help.outLines().contains(code), help.out());
    }
    assertEquals(ExitCodes.OK, cli("-h").exit());
  }

  @Test
  void usageErrorsExitTwoWithOneLineAndAHint() {
    Captured none = cli();
    assertEquals(ExitCodes.USAGE, none.exit());
    assertTrue(none.err().startsWith("Usage: regionstore"), none.err());

    assertUsageError(cli("frobnicate", "x"), "regionstore: unknown command \"frobnicate\"");
    assertUsageError(cli("--verbose", "inspect", "x"), "regionstore: unknown option --verbose");
    assertUsageError(cli("inspect", "--all", "x"), "regionstore: unknown option --all");
    assertUsageError(cli("inspect"), "regionstore: missing argument: expected inspect <store>");
    assertUsageError(cli("inspect", "a", "b"), "regionstore: unexpected argument \"b\": expected inspect <store>");
    assertUsageError(cli("export", "a"), "regionstore: missing argument: expected export <store> <folder>");
  }

  private static void assertUsageError(Captured run, String message) {
    assertEquals(ExitCodes.USAGE, run.exit(), run::toString);
    assertEquals(List.of(message, "Try 'regionstore --help'."), run.errLines());
    assertEquals("", run.out());
  }

  @Test
  void aMissingStoreIsOneLineExitThreeAndIsNotCreated() {
    Path missing = tmp.resolve("nothing-here");
    String line =
        "regionstore: no RegionStore in " + missing + " (" + missing.resolve("regionstore.data") + " does not exist)";
    for (String command : List.of("inspect", "verify", "compact")) {
      Captured run = cli(command, missing);
      assertEquals(ExitCodes.FAILURE, run.exit(), run::toString);
      assertEquals(List.of(line), run.errLines());
      assertEquals("", run.out());
    }
    Captured export = cli("export", missing, tmp.resolve("out"));
    assertEquals(ExitCodes.FAILURE, export.exit(), export::toString);
    assertEquals(List.of(line), export.errLines());
    assertFalse(Files.exists(missing), "a read-only command created " + missing);

    Captured debug = cli("--debug", "inspect", missing);
    assertEquals(ExitCodes.FAILURE, debug.exit());
    assertEquals(line, debug.errLines().get(0));
    assertTrue(debug.err().contains("java.nio.file.NoSuchFileException"), debug.err());
    assertTrue(debug.err().contains("\tat "), debug.err());

    Captured importMissing = cli("import", missing, tmp.resolve("store"));
    assertEquals(ExitCodes.FAILURE, importMissing.exit());
    assertEquals(List.of("regionstore: no folder to import (" + missing + " does not exist)"), importMissing.errLines());
  }

  @Test
  void inspectListsEveryRegion() throws IOException {
    Captured run = cli("inspect", index);
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    List<String> lines = run.outLines();
    assertEquals("store:              " + index.toAbsolutePath(), lines.get(0));
    assertEquals("opened:             for writing (free and pending space are exact)", lines.get(1));
    String[] names = files(index);
    assertTrue(lines.contains("regions:            " + names.length + " (" + extents(index, names) + " extents)"), run.out());
    assertTrue(lines.contains("chunk size:         1.0 GiB (1,073,741,824 bytes)"), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("catalog generation: \\d+")), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("free bytes:         .* in \\d+ extents")), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("pending free bytes: .*bytes\\)")), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("mapped chunks:      ")), run.out());
    int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("region ")).findFirst().orElseThrow());
    try (RegionStore store = RegionStore.openReadOnly(index)) {
      for (int i = 0; i < names.length; i++) {
        String[] cols = lines.get(header + 1 + i).trim().split(" +");
        assertEquals(names[i], cols[0]);
        assertEquals(store.length(names[i]), Long.parseLong(cols[1].replace(",", "")));
        try (var reader = store.openReader(names[i])) {
          assertEquals(reader.extentCount(), Integer.parseInt(cols[2]));
        }
      }
    }
    assertEquals(header + 1 + names.length, lines.size());
  }

  private static int extents(Path store, String[] names) throws IOException {
    int n = 0;
    try (RegionStore s = RegionStore.openReadOnly(store)) {
      for (String name : names) {
        try (var reader = s.openReader(name)) {
          n += reader.extentCount();
        }
      }
    }
    return n;
  }

  @Test
  void verifyChecksEveryFile() throws IOException {
    Captured run = cli("verify", index);
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    String[] names = files(index);
    List<String> lines = run.outLines();
    assertEquals("verifying store " + index.toAbsolutePath(), lines.get(0));
    assertTrue(lines.get(1).matches("catalog: generation \\d+, " + names.length + " regions; meta pages and catalog body pass their checksums"), lines.get(1));
    assertEquals("space accounting: OK (live, free and pending extents tile the 1.0 GiB data file)", lines.get(2));
    for (int i = 0; i < names.length; i++) {
      assertTrue(lines.get(3 + i).matches("  ok       " + names[i].replace(".", "\\.") + " \\([\\d,]+ bytes, checksum [0-9a-f]{8}\\)"), lines.get(3 + i));
    }
    assertEquals("verify: OK (" + names.length + " files checksummed, 0 skipped)", lines.getLast());
  }

  @Test
  void exportThenImportKeepsTheIndex() throws IOException {
    Path folder = tmp.resolve("exported");
    Captured export = cli("export", index, folder);
    assertEquals(ExitCodes.OK, export.exit(), export::toString);
    String[] names = files(index);
    assertTrue(export.out().startsWith("exported " + names.length + " files ("), export.out());
    String lastDraw = export.err().substring(export.err().lastIndexOf('\r') + 1);
    assertTrue(lastDraw.matches("copying \\[#{30}\\] 100%  ([\\d.]+ \\w+)/\\1\n"), lastDraw);
    try (FSDirectory fs = FSDirectory.open(folder);
        DirectoryReader reader = DirectoryReader.open(fs)) {
      assertEquals(DOCS, reader.numDocs());
      assertEquals(List.of(names), List.of(fs.listAll()));
    }

    Captured again = cli("export", index, folder);
    assertUsageError(again, "regionstore: target folder " + folder + " is not empty");

    Files.writeString(folder.resolve("write.lock"), ""); // as an FSDirectory index may hold
    Path store = tmp.resolve("imported");
    Captured imported = cli("import", folder, store);
    assertEquals(ExitCodes.OK, imported.exit(), imported::toString);
    assertEquals("skipped write.lock: a lock file, not data", imported.outLines().get(0));
    assertTrue(imported.outLines().get(1).startsWith("imported " + names.length + " files ("), imported.out());
    try (RegionDirectory dir = RegionDirectory.openReadOnly(store);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(DOCS, reader.numDocs());
      assertEquals(List.of(names), List.of(dir.listAll()));
    }
    assertEquals(ExitCodes.OK, cli("verify", store).exit());

    assertUsageError(cli("import", folder, store), "regionstore: target store " + store + " is not empty: it holds " + names.length + " files");
    assertUsageError(cli("import", folder, folder), "regionstore: target " + folder + " is a folder that is not empty and holds no store");
  }

  @Test
  void compactMovesRegionsDownAndShrinksTheFile() throws IOException {
    Path store = tmp.resolve("holes");
    byte[] kept = new byte[100_000];
    new java.util.Random(42).nextBytes(kept);
    // 64 KiB chunks, so that the file can shrink; nine regions deleted in front of the last one
    try (RegionStore s = RegionStore.open(store, StoreOptions.builder().chunkSize(1 << 16).build())) {
      for (int i = 0; i < 9; i++) {
        write(s, "gone" + i, new byte[100_000]);
      }
      write(s, "kept", kept);
      s.syncMetadata();
      for (int i = 0; i < 9; i++) {
        s.delete("gone" + i);
      }
      s.syncMetadata();
    }
    Captured run = cli("compact", store);
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    List<String> lines = run.outLines();
    assertEquals(4, lines.size(), run.out());
    assertTrue(lines.get(0).matches("before: data file .+, live .+, free .+, pending free .+"), lines.get(0));
    assertEquals("moved 1 region (97.7 KiB)", lines.get(1));
    assertTrue(lines.get(2).matches("after:  data file .+, live .+, free .+, pending free .+"), lines.get(2));
    Matcher sizes = Pattern.compile("data file: .+ \\(([\\d,]+) bytes\\) -> .+ \\(([\\d,]+) bytes\\)").matcher(lines.get(3));
    assertTrue(sizes.matches(), lines.get(3));
    long before = Long.parseLong(sizes.group(1).replace(",", ""));
    long after = Long.parseLong(sizes.group(2).replace(",", ""));
    assertTrue(after < before, lines.get(3));
    try (RegionStore s = RegionStore.openReadOnly(store);
        RegionReader reader = s.openReader("kept")) {
      assertEquals(List.of("kept"), s.list());
      assertEquals(after, s.stats().fileSize());
      byte[] read = new byte[kept.length];
      reader.read(0, read, 0, read.length);
      assertArrayEquals(kept, read);
    }
    assertEquals(ExitCodes.OK, cli("verify", store).exit());
  }

  @Test
  void aFlippedByteInALuceneFileIsAProblemNamingTheFile() throws IOException {
    Path store = tmp.resolve("flipped");
    assertEquals(ExitCodes.OK, Captured.run(SearchDemo::run, store.toString(), "--docs", "100").exit());
    String victim = largestFile(store);
    Corruption.flipByteInRegion(store, victim, 1000);

    Captured run = cli("verify", store);
    assertEquals(ExitCodes.PROBLEMS, run.exit(), run::toString);
    List<String> lines = run.outLines();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("  FAILED   " + victim + ": checksum failed")), run.out());
    assertEquals("verify: 1 problem (" + (files(store).length - 1) + " files checksummed, 0 skipped):", lines.get(lines.size() - 2));
    assertTrue(lines.getLast().startsWith("  " + victim + ": checksum failed"), lines.getLast());
    assertTrue(lines.getLast().contains(store.resolve(victim).toString()), lines.getLast());
  }

  private static String largestFile(Path store) throws IOException {
    try (RegionStore s = RegionStore.openReadOnly(store)) {
      String largest = null;
      for (String name : s.list()) {
        if (largest == null || s.length(name) > s.length(largest)) {
          largest = name;
        }
      }
      return largest;
    }
  }

  @Test
  void aCorruptStoreIsOneLineExitThreeNamingTheDataFile() throws IOException {
    Path header = tmp.resolve("bad-header");
    Path metaPages = tmp.resolve("bad-meta-pages");
    for (Path store : List.of(header, metaPages)) {
      assertEquals(ExitCodes.OK, Captured.run(SearchDemo::run, store.toString(), "--docs", "20").exit());
    }
    Corruption.flipByte(header.resolve(Corruption.DATA_FILE), 20); // the chunk size, under the header CRC
    Corruption.flipByte(metaPages.resolve(Corruption.DATA_FILE), 4096 + 100);
    Corruption.flipByte(metaPages.resolve(Corruption.DATA_FILE), 8192 + 100);
    for (Path store : List.of(header, metaPages)) {
      for (String command : List.of("verify", "inspect", "compact")) {
        Captured run = cli(command, store);
        assertEquals(ExitCodes.FAILURE, run.exit(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("regionstore: corrupt store: "), run.err());
        assertTrue(run.err().contains(store.resolve(Corruption.DATA_FILE).toString()), run.err());
      }
    }
  }

  @Test
  void aStoreOpenForWritingElsewhereIsInspectedReadOnly() throws IOException {
    Path store = tmp.resolve("busy");
    assertEquals(ExitCodes.OK, Captured.run(SearchDemo::run, store.toString(), "--docs", "20").exit());
    try (RegionDirectory writer = new RegionDirectory(store)) {
      Captured inspect = cli("inspect", store);
      assertEquals(ExitCodes.OK, inspect.exit(), inspect::toString);
      assertTrue(inspect.outLines().get(1).startsWith("opened:             read-only, at the last durable generation ("), inspect.out());
      assertTrue(inspect.outLines().contains("free bytes:         unknown (store opened read-only: only its writer accounts for free space)"), inspect.out());

      Captured verify = cli("verify", store);
      assertEquals(ExitCodes.OK, verify.exit(), verify::toString);
      assertTrue(verify.outLines().get(0).startsWith("note: space accounting skipped: "), verify.out());

      Captured compact = cli("compact", store);
      assertEquals(ExitCodes.FAILURE, compact.exit(), compact::toString);
      assertEquals(1, compact.errLines().size(), compact::toString);
      assertTrue(compact.err().startsWith("regionstore: "), compact.err());

      Captured export = cli("export", store, tmp.resolve("while-writing"));
      assertEquals(ExitCodes.OK, export.exit(), export::toString);
      writer.listAll(); // still usable
    }
  }

  @Test
  void verifySkipsRegionsThatAreNotLuceneFilesAndFlagsAHeaderWithoutFooter() throws IOException {
    Path store = tmp.resolve("plain-store");
    try (RegionStore s = RegionStore.open(store)) {
      write(s, "notes.txt", "not a Lucene file".getBytes(StandardCharsets.UTF_8));
      write(s, "_9.cut", new byte[] {0x3f, (byte) 0xd7, 0x6c, 0x17, 1, 2, 3}); // CODEC_MAGIC, then cut off
      s.syncMetadata();
    }
    Captured run = cli("verify", store);
    assertEquals(ExitCodes.PROBLEMS, run.exit(), run::toString);
    List<String> lines = run.outLines();
    assertTrue(lines.contains("  skipped  notes.txt: no Lucene codec header or footer, not a Lucene file (bytes read, no checksum)"), run.out());
    assertEquals("verify: 1 problem (0 files checksummed, 1 skipped):", lines.get(lines.size() - 2));
    assertTrue(lines.getLast().startsWith("  _9.cut: has a Lucene codec header but no codec footer (truncated?)"), lines.getLast());
  }

  private static void write(RegionStore store, String name, byte[] bytes) throws IOException {
    try (RegionWriter w = store.create(name)) {
      w.write(bytes, 0, bytes.length);
    }
  }
}
