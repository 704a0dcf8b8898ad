package io.regionstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void csvFieldsMayBeQuoted() {
    assertEquals(List.of("a", "b,c", "", "d"), Report.split("a,\"b,c\",,d"));
  }

  @Test
  void shortNamesKeepTheClassMethodAndSecondaryLabel() {
    assertEquals("CommitBenchmark.commit", Report.shortName("io.regionstore.bench.CommitBenchmark.commit"));
    assertEquals("CommitBenchmark.commit:p0.99", Report.shortName("io.regionstore.bench.CommitBenchmark.commit:p0.99"));
    assertEquals("CommitBenchmark.commit:p0.50", Report.shortName("io.regionstore.bench.CommitBenchmark.commit:commit\u00b7p0.50"));
  }

  @Test
  void aFigureOfSeveralRoundsIsTheirMedian() {
    assertEquals(2.0, Report.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, Report.median(List.of(4.0, 1.0, 2.0, 3.0)));
  }

  @Test
  void printsRatiosTargetsAndVerdicts() {
    String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: dir\"";
    List<String> round1 =
        List.of(
            header,
            "\"io.regionstore.bench.IndexingBenchmark.bulkIndexing\",\"thrpt\",1,3,1100.5,10.0,\"ops/s\",region",
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,3.0,0.1,\"ms/op\",region",
            "\"io.regionstore.bench.CommitBenchmark.commit:p0.99\",\"sample\",1,300,9.0,NaN,\"ms/op\",region",
            "\"io.regionstore.bench.MemoryBaselineBenchmark.randomLong\",\"thrpt\",1,3,250000000,1,\"ops/s\",");
    List<String> round1Mmap =
        List.of(
            header,
            "\"io.regionstore.bench.IndexingBenchmark.bulkIndexing\",\"thrpt\",1,3,1000.0,10.0,\"ops/s\",mmap",
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,4.0,0.1,\"ms/op\",mmap",
            "\"io.regionstore.bench.CommitBenchmark.commit:p0.99\",\"sample\",1,300,12.0,NaN,\"ms/op\",mmap");
    List<String> round2 =
        List.of(
            header + ",\"Param: files\"",
            "\"io.regionstore.bench.ManyFilesBenchmark.openReader\",\"avgt\",1,3,20.0,0.1,\"ms/op\",region,1000",
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,1.0,0.1,\"ms/op\",region",
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,6.0,0.1,\"ms/op\",mmap");
    List<String> round3 =
        List.of(
            header,
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,2.5,0.1,\"ms/op\",region",
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,5.0,0.1,\"ms/op\",mmap");
    List<String> resources =
        List.of(
            "kind,files,mappings,fds,fsyncs_per_commit,allocated_bytes",
            "region,1200,1,4,1,1048576",
            "mmap,1200,1150,1,61,5242880",
            "niofs,1200,0,1150,61,5242880");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.print(List.of(round1, round1Mmap, round2, round3), resources, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("| bulk indexing (docs/s) | 1,101 | 1,000 | n/a | 1.10x | >= 1.00x | yes |", lines.get(2));
    assertEquals("| commit latency p99 (ms) | 9.00 | 12.00 | n/a | 0.75x |  |  |", lines.get(6));
    assertEquals("| NRT reopen (20 new docs) (ms) | 2.50 | 5.00 | n/a | 0.50x | <= 0.50x | yes |", lines.get(13), "medians of 3.0, 1.0, 2.5 and 4.0, 6.0, 5.0");
    assertEquals("| mappings (data chunks + reader table), index of N files | 1.00 | 1,150 | 0.000 | 0.00x | <= 0.01x | yes |", lines.get(17));
    assertEquals("| fsync calls per commit (10 new segments) | 1.00 | 61.00 | 61.00 | 0.02x |  |  |", lines.get(19));
    assertEquals("| disk space allocated to the index folder, same index (KiB) | 1,024 | 5,120 | 5,120 | 0.20x |  |  |", lines.get(20));
    assertEquals(
        "Index for the resource rows: 1200 files. Plain memory segment (the limit for the IndexInput rows): sequential n/a MiB/s, random readLong 250 M reads/s.",
        lines.get(22));
    assertEquals("| DirectoryReader open, many-file index (below) (ms) | 20.00 | n/a | n/a | n/a | <= 0.50x |  |", lines.get(12));
    assertEquals("Many-file index (reader open row): at least 1000 files, built as the resource rows' index.", lines.get(23));
    assertEquals("RegionDirectory fsyncs per commit: 1 (target <= 1: yes).", lines.get(24));
  }
  @Test
  void theRemoteRowComparesEachRemoteSourceWithTheLocalIndex() {
    String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: source\"";
    List<String> remote =
        List.of(
            header,
            "\"io.regionstore.bench.RemoteSearchBenchmark.queryMix\",\"thrpt\",1,3,1000.0,10.0,\"ops/s\",local",
            "\"io.regionstore.bench.RemoteSearchBenchmark.queryMix\",\"thrpt\",1,3,950.0,10.0,\"ops/s\",remote-0ms",
            "\"io.regionstore.bench.RemoteSearchBenchmark.queryMix\",\"thrpt\",1,3,880.0,10.0,\"ops/s\",remote-20ms");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.print(List.of(remote), List.of("kind,files,mappings,fds,fsyncs_per_commit,allocated_bytes"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    int row = lines.indexOf("|---|---:|---:|---:|---:|---:|---|---|") + 1;
    assertEquals(
        "| after one pass of the mix (cache warm) | 1,000 | 950 | 880 | 0.95x | 0.88x | >= 0.90x | **no** |", lines.get(row));
  }
}
