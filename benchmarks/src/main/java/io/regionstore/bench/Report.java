package io.regionstore.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's CSV results and {@link ResourceCounts}' CSV into one Markdown table: each metric for
 * RegionDirectory, MMapDirectory and NIOFSDirectory, the ratio RegionDirectory / MMapDirectory,
 * the target for that ratio and whether it is met. JMH results may come in several files (one per
 * round and directory, as {@code benchmarks/run} makes them); a figure measured in several rounds
 * is their median.
 */
public final class Report {
  /** One row: where its numbers come from and what its ratio should be. */
  record Row(String metric, String source, boolean higherIsBetter, double target, String unit, double scale) {}

  static final List<Row> ROWS =
      List.of(
          new Row("bulk indexing", "IndexingBenchmark.bulkIndexing", true, 1.0, "docs/s", 1),
          new Row("commit-heavy indexing (commit every 200 docs)", "IndexingBenchmark.commitEvery200Docs", true, 1.2, "docs/s", 1),
          new Row("commit latency (200 new docs), mean", "CommitBenchmark.commit", false, Double.NaN, "ms", 1),
          new Row("commit latency p50", "CommitBenchmark.commit:p0.50", false, Double.NaN, "ms", 1),
          new Row("commit latency p99", "CommitBenchmark.commit:p0.99", false, Double.NaN, "ms", 1),
          new Row("slow disk (+" + SlowDisk.DEFAULT_DELAY_MS + " ms per fsync): commit-heavy indexing", "SlowDiskIndexingBenchmark.commitEvery200Docs", true, Double.NaN, "docs/s", 1),
          new Row("slow disk: commit latency p50", "SlowDiskCommitBenchmark.commit:p0.50", false, Double.NaN, "ms", 1),
          new Row("slow disk: commit latency p99", "SlowDiskCommitBenchmark.commit:p0.99", false, Double.NaN, "ms", 1),
          new Row("search, query mix (term, AND, OR, phrase, prefix)", "SearchBenchmark.queryMix", true, 1.0, "mixes/s", 1),
          new Row("DirectoryReader open (10 segments)", "ReaderBenchmark.openReader", false, Double.NaN, "ms", 1),
          new Row("DirectoryReader open, many-file index (below)", "ManyFilesBenchmark.openReader", false, 0.5, "ms", 1),
          new Row("NRT reopen (20 new docs)", "ReaderBenchmark.nrtReopen", false, 0.5, "ms", 1),
          new Row("IndexInput sequential read", "IndexInputBenchmark.sequentialRead", true, Double.NaN, "MiB/s", 1),
          new Row("IndexInput random readLong", "IndexInputBenchmark.randomReadLong", true, 0.95, "M reads/s", 1e-6),
          new Row("IndexOutput write (bytes, vInts, ints, longs, short runs)", "IndexOutputBenchmark.write", true, Double.NaN, "MiB/s", 1),
          new Row("mappings (data chunks + reader table), index of N files", "resources.mappings", false, 0.01, "", 1),
          new Row("open file descriptors, same index", "resources.fds", false, Double.NaN, "", 1),
          new Row("fsync calls per commit (10 new segments)", "resources.fsyncs_per_commit", false, Double.NaN, "", 1),
          new Row("disk space allocated to the index folder, same index", "resources.allocated_bytes", false, Double.NaN, "KiB", 1.0 / 1024));

  private Report() {}

  /** Arguments: the resource CSV, then any number of JMH CSV files. */
  public static void main(String[] args) throws IOException {
    List<List<String>> jmh = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      jmh.add(Files.readAllLines(Path.of(args[i])));
    }
    print(jmh, Files.readAllLines(Path.of(args[0])), System.out);
  }

  /** Prints the table for the given JMH CSV files' lines and the resource CSV lines. */
  static void print(List<List<String>> jmhCsvs, List<String> resourceCsv, PrintStream out) {
    Map<String, List<Double>> rounds = new HashMap<>();
    for (List<String> csv : jmhCsvs) {
      readJmh(csv, rounds);
    }
    Map<String, Double> values = new HashMap<>();
    rounds.forEach((key, scores) -> values.put(key, median(scores)));
    readResources(resourceCsv, values);
    out.println("| metric | RegionDirectory | MMapDirectory | NIOFSDirectory | Region / MMap | target | met |");
    out.println("|---|---:|---:|---:|---:|---|---|");
    for (Row row : ROWS) {
      Double region = values.get(row.source + "|region");
      Double mmap = values.get(row.source + "|mmap");
      Double niofs = values.get(row.source + "|niofs");
      String ratio = region != null && mmap != null && mmap != 0 ? format(region / mmap) + "x" : "n/a";
      String target = Double.isNaN(row.target) ? "" : (row.higherIsBetter ? ">= " : "<= ") + format(row.target) + "x";
      String met = "";
      if (!Double.isNaN(row.target) && region != null && mmap != null && mmap != 0) {
        double r = region / mmap;
        met = (row.higherIsBetter ? r >= row.target : r <= row.target) ? "yes" : "**no**";
      }
      out.printf(
          "| %s%s | %s | %s | %s | %s | %s | %s |%n",
          row.metric, row.unit.isEmpty() ? "" : " (" + row.unit + ")",
          cell(region, row.scale), cell(mmap, row.scale), cell(niofs, row.scale), ratio, target, met);
    }
    printRemote(values, out);
    Double files = values.get("resources.files|region");
    Double seq = values.get("MemoryBaselineBenchmark.sequentialCopy|");
    Double rnd = values.get("MemoryBaselineBenchmark.randomLong|");
    out.println();
    out.printf(
        "Index for the resource rows: %s files. Plain memory segment (the limit for the IndexInput rows): sequential %s MiB/s, random readLong %s M reads/s.%n",
        files == null ? "n/a" : String.format(Locale.ROOT, "%.0f", files), cell(seq, 1), cell(rnd, 1e-6));
    Double manyFiles = values.get("param.files|");
    if (manyFiles != null) {
      out.printf("Many-file index (reader open row): at least %.0f files, built as the resource rows' index.%n", manyFiles);
    }
    Double fsyncs = values.get("resources.fsyncs_per_commit|region");
    if (fsyncs != null) {
      out.printf("RegionDirectory fsyncs per commit: %.0f (target <= 1: %s).%n", fsyncs, fsyncs <= 1 ? "yes" : "**no**");
    }
  }

  /** The warm remote search row, if {@link RemoteSearchBenchmark} ran: remote against local. */
  private static void printRemote(Map<String, Double> values, PrintStream out) {
    Double local = values.get("RemoteSearchBenchmark.queryMix|local");
    if (local == null) {
      return;
    }
    out.println();
    out.println("| warm query mix, packed Europarl (mixes/s) | local RegionDirectory | remote, 0 ms per request | remote, 20 ms per request | remote 0 ms / local | remote 20 ms / local | target | met |");
    out.println("|---|---:|---:|---:|---:|---:|---|---|");
    Double fast = values.get("RemoteSearchBenchmark.queryMix|remote-0ms");
    Double slow = values.get("RemoteSearchBenchmark.queryMix|remote-20ms");
    String met =
        fast == null || slow == null ? "" : Math.min(fast, slow) / local >= 0.9 ? "yes" : "**no**";
    out.printf(
        "| after one pass of the mix (cache warm) | %s | %s | %s | %s | %s | >= 0.90x | %s |%n",
        cell(local, 1), cell(fast, 1), cell(slow, 1),
        fast == null ? "n/a" : format(fast / local) + "x", slow == null ? "n/a" : format(slow / local) + "x", met);
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void readJmh(List<String> csv, Map<String, List<Double>> values) {
    if (csv.isEmpty()) {
      return;
    }
    List<String> header = split(csv.get(0));
    int name = header.indexOf("Benchmark");
    int score = header.indexOf("Score");
    int param = header.indexOf("Param: dir");
    if (param < 0) {
      param = header.indexOf("Param: source"); // RemoteSearchBenchmark: local, remote-0ms, remote-20ms
    }
    int files = header.indexOf("Param: files");
    for (String line : csv.subList(1, csv.size())) {
      List<String> f = split(line);
      if (files >= 0 && files < f.size() && !f.get(files).isEmpty()) {
        values.computeIfAbsent("param.files|", k -> new ArrayList<>()).add(Double.parseDouble(f.get(files)));
      }
      String kind = param >= 0 && param < f.size() ? f.get(param) : "";
      values.computeIfAbsent(shortName(f.get(name)) + "|" + kind, k -> new ArrayList<>())
          .add(Double.parseDouble(f.get(score)));
    }
  }

  /**
   * "Class.method" from JMH's benchmark name, with ":label" for a secondary result such as a
   * percentile: "io.x.CommitBenchmark.commit:p0.50" (or JMH's older "commit:commit·p0.50") gives
   * "CommitBenchmark.commit:p0.50".
   */
  static String shortName(String benchmark) {
    int colon = benchmark.indexOf(':');
    String method = colon < 0 ? benchmark : benchmark.substring(0, colon);
    String label = colon < 0 ? "" : ":" + benchmark.substring(Math.max(colon, benchmark.lastIndexOf('\u00b7')) + 1);
    return method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1) + 1) + label;
  }

  private static void readResources(List<String> csv, Map<String, Double> values) {
    if (csv.isEmpty()) {
      return;
    }
    List<String> header = split(csv.get(0));
    for (String line : csv.subList(1, csv.size())) {
      List<String> f = split(line);
      for (int i = 1; i < header.size() && i < f.size(); i++) {
        values.put("resources." + header.get(i) + "|" + f.get(0), Double.parseDouble(f.get(i)));
      }
    }
  }

  /** Splits one CSV line; fields may be double-quoted. */
  static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static String cell(Double value, double scale) {
    if (value == null) {
      return "n/a";
    }
    double v = value * scale;
    return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : v >= 1 ? "%.2f" : "%.3f", v);
  }

  private static String format(double ratio) {
    return String.format(Locale.ROOT, "%.2f", ratio);
  }
}
