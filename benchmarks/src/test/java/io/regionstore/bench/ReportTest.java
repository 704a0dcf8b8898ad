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
  void printsRatiosTargetsAndVerdicts() {
    List<String> jmh =
        List.of(
            "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: dir\"",
            "\"io.regionstore.bench.IndexingBenchmark.bulkIndexing\",\"thrpt\",1,3,1100.5,10.0,\"ops/s\",region",
            "\"io.regionstore.bench.IndexingBenchmark.bulkIndexing\",\"thrpt\",1,3,1000.0,10.0,\"ops/s\",mmap",
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,3.0,0.1,\"ms/op\",region",
            "\"io.regionstore.bench.ReaderBenchmark.nrtReopen\",\"avgt\",1,3,4.0,0.1,\"ms/op\",mmap",
            "\"io.regionstore.bench.MemoryBaselineBenchmark.randomLong\",\"thrpt\",1,3,250000000,1,\"ops/s\",");
    List<String> resources =
        List.of("kind,files,mappings,fds,fsyncs_per_commit", "region,1200,1,4,1", "mmap,1200,1150,1,61", "niofs,1200,0,1150,61");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.print(jmh, resources, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("| bulk indexing (docs/s) | 1,101 | 1,000 | n/a | 1.10x | >= 1.00x | yes |", lines.get(2));
    assertEquals("| NRT reopen (20 new docs) (ms) | 3.00 | 4.00 | n/a | 0.75x | <= 0.50x | **no** |", lines.get(7));
    assertEquals("| mappings (data chunks + reader table), index of N files | 1.00 | 1,150 | 0.000 | 0.00x | <= 0.01x | yes |", lines.get(10));
    assertEquals("| fsync calls per commit (10 new segments) | 1.00 | 61.00 | 61.00 | 0.02x |  |  |", lines.get(12));
    assertEquals(
        "Index for the resource rows: 1200 files. Plain memory segment (the limit for the IndexInput rows): sequential n/a MiB/s, random readLong 250 M reads/s.",
        lines.get(14));
    assertEquals("RegionDirectory fsyncs per commit: 1 (target <= 1: yes).", lines.get(15));
  }
}
