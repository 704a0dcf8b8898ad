package io.regionstore.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.examples.support.ExitCodes;
import io.regionstore.examples.support.Sizes;
import io.regionstore.lucene.RegionDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every demo in this JVM with small document counts and checks what it prints. */
class DemosTest {
  @TempDir Path tmp;

  @Test
  void searchDemoIndexesSearchesAndPrintsStats() throws Exception {
    Path folder = tmp.resolve("search");
    Captured run = Captured.run(SearchDemo::run, folder.toString(), "--docs", "300");
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    List<String> lines = run.outLines();
    assertEquals(
        "Indexing the Europarl corpus into a RegionDirectory at " + folder.toAbsolutePath(),
        lines.get(0));
    assertTrue(lines.get(1).matches("indexed 300 documents in \\d+\\.\\d s"), lines.get(1));
    String lastDraw = run.err().substring(run.err().lastIndexOf('\r') + 1);
    assertEquals("indexing [" + "#".repeat(30) + "] 100%  300/300 docs\n", lastDraw);

    try (RegionDirectory dir = RegionDirectory.openReadOnly(folder);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(300, reader.numDocs());
      IndexSearcher searcher = new IndexSearcher(reader);
      QueryParser parser = new QueryParser("body", new StandardAnalyzer());
      for (String text : SearchDemo.QUERIES) {
        int count = searcher.count(parser.parse(text));
        String header = "query " + text + "  (" + parser.parse(text) + "): " + count + " hits";
        int at = lines.indexOf(header);
        assertTrue(at > 0, () -> "no line \"" + header + "\" in\n" + run.out());
        for (int hit = 1; hit <= Math.min(count, SearchDemo.TOP_HITS); hit++) {
          assertTrue(lines.get(at + hit).matches(" {2,}\\d+\\.\\d{3}  .+ \\(\\d{4}-\\d{2}-\\d{2}\\)"), lines.get(at + hit));
        }
      }
      assertTrue(lines.contains("files:              " + dir.listAll().length), run.out());
      assertTrue(lines.contains("regions:            " + dir.listAll().length + " (" + dir.stats().extents() + " extents)"), run.out());
      assertTrue(lines.contains("on disk:            " + Sizes.exact(dir.stats().allocatedBytes())
          + " (allocated blocks, as du counts; freed space is given back)"), run.out());
    }
    // one commit: one fdatasync (the first of Lucene's two syncMetaData calls costs none), sync() none
    assertTrue(lines.contains("fsyncs:             1 (catalog 1 + data 0, since open)"), run.out());
    assertTrue(lines.contains("mapped chunks:      1 (by this process)"), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("catalog generation: \\d+")), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("free bytes:         ")), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("live bytes:         ")), run.out());
  }

  @Test
  void searchDemoRunsAgainOnTheSameFolder() {
    Path folder = tmp.resolve("again");
    assertEquals(ExitCodes.OK, Captured.run(SearchDemo::run, folder.toString(), "--docs", "50").exit());
    Captured second = Captured.run(SearchDemo::run, folder.toString(), "--docs", "20");
    assertEquals(ExitCodes.OK, second.exit(), second::toString);
    assertEquals("indexed 20 documents", second.outLines().get(1).replaceFirst(" in .*", ""));
  }

  @Test
  void nrtDemoSeesEveryBatchWithoutFsyncs() throws Exception {
    Path folder = tmp.resolve("nrt");
    Captured run = Captured.run(NrtDemo::run, folder.toString(), "--docs", "250", "--batch", "100");
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    List<String> lines = run.outLines();
    assertEquals(
        List.of(
            "Near-real-time indexing into a RegionDirectory at " + folder.toAbsolutePath(),
            "reopen 1: 100 docs visible (+100), # segments, 0 fsyncs so far, # ms",
            "reopen 2: 200 docs visible (+100), # segments, 0 fsyncs so far, # ms",
            "reopen 3: 250 docs visible (+50), # segments, 0 fsyncs so far, # ms",
            "commit: 250 docs durable, 1 fsyncs so far"),
        lines.stream()
            .map(l -> l.replaceAll("\\d+ segments", "# segments").replaceAll("\\d+\\.\\d ms", "# ms"))
            .toList());
    try (RegionDirectory dir = RegionDirectory.openReadOnly(folder);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(250, reader.numDocs());
    }
  }

  @Test
  void readOnlySearcherInAnotherJvmSeesCommitsOnly() throws Exception {
    Path folder = tmp.resolve("shared");
    Captured run =
        Captured.run(
            ReadOnlySearcherDemo::run, folder.toString(), "--docs", "300", "--commits", "3", "--timeout", "120");
    assertEquals(ExitCodes.OK, run.exit(), run::toString);
    List<String> expected = new ArrayList<>();
    expected.add("Writer (this process) and read-only searcher (child JVM) on " + folder.toAbsolutePath());
    expected.add("writer: committed 100 docs");
    expected.add("searcher: opened " + folder.toAbsolutePath() + " read-only; sees 100 docs, # match body:commission");
    for (int committed = 200; committed <= 300; committed += 100) {
      expected.add("writer: added 100 docs, flushed, not committed");
      expected.add("searcher: sees " + (committed - 100) + " docs (unchanged), # match body:commission");
      expected.add("writer: committed " + committed + " docs");
      expected.add("searcher: sees " + committed + " docs (reopened), # match body:commission");
    }
    expected.add("searcher process exited with code 0");
    Pattern matches = Pattern.compile(", (\\d+) match ");
    List<String> actual =
        run.outLines().stream()
            // the child JVM's own log lines: the incubator-module warning, Lucene's vectorization log
            .filter(l -> !l.contains("WARNING") && !l.contains("VectorizationProvider") && !l.startsWith("INFO: Java vector"))
            .map(l -> matches.matcher(l).replaceAll(", # match "))
            .toList();
    assertEquals(expected, actual, run::toString);

    // the searcher's last count is what the final commit holds
    Matcher last = matches.matcher(run.outLines().stream().filter(l -> l.contains("(reopened)")).reduce((a, b) -> b).orElseThrow());
    assertTrue(last.find());
    try (RegionDirectory dir = RegionDirectory.openReadOnly(folder);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertEquals(300, reader.numDocs());
      assertEquals(
          Integer.parseInt(last.group(1)),
          new IndexSearcher(reader).count(new TermQuery(ReadOnlySearcher.PROBE)));
    }
  }

  @Test
  void helpAndUsageErrors() {
    for (Captured.Program demo : List.<Captured.Program>of(SearchDemo::run, NrtDemo::run, ReadOnlySearcherDemo::run)) {
      Captured help = Captured.run(demo, "--help");
      assertEquals(ExitCodes.OK, help.exit(), help::toString);
      assertTrue(help.out().startsWith("Usage: "), help.out());
      assertTrue(help.out().contains("Exit codes:"), help.out());

      Captured unknown = Captured.run(demo, "--frobnicate");
      assertEquals(ExitCodes.USAGE, unknown.exit(), unknown::toString);
      assertTrue(unknown.errLines().get(0).endsWith(": unknown option --frobnicate"), unknown.err());

      Captured zero = Captured.run(demo, "--docs", "0");
      assertEquals(ExitCodes.USAGE, zero.exit(), zero::toString);
      assertTrue(zero.errLines().get(0).endsWith(": option --docs must be between 1 and 2147483647, got 0"), zero.err());

      Captured word = Captured.run(demo, "--docs", "many");
      assertEquals(ExitCodes.USAGE, word.exit(), word::toString);
      assertTrue(word.errLines().get(0).endsWith(": option --docs needs a whole number, got \"many\""), word.err());

      Captured extra = Captured.run(demo, "a", "b");
      assertEquals(ExitCodes.USAGE, extra.exit(), extra::toString);
      assertTrue(extra.errLines().get(0).endsWith(": unexpected argument \"b\": expected [<folder>]"), extra.err());
    }
  }
}
