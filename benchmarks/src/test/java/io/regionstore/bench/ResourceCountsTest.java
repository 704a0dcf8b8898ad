package io.regionstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A small run of the resource counts: the numbers the benchmark table reports, checked. */
class ResourceCountsTest {
  @Test
  void regionDirectoryMapsOneChunkPlusTheReaderTableAndSyncsOncePerCommit() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResourceCounts.run(150, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("kind,files,mappings,fds,fsyncs_per_commit,allocated_bytes", lines.get(0));
    List<String> region = Report.split(lines.get(1));
    List<String> mmap = Report.split(lines.get(2));
    assertEquals("region", region.get(0));
    assertEquals("mmap", mmap.get(0));
    assertTrue(Integer.parseInt(region.get(1)) >= 150, lines.toString());
    assertEquals("2", region.get(2), "one data chunk and the reader table mapped: " + lines);
    assertTrue(Integer.parseInt(mmap.get(2)) >= 100, "MMapDirectory maps each file: " + lines);
    assertEquals("1", region.get(4), "fsyncs per commit: " + lines);
    assertTrue(Integer.parseInt(mmap.get(4)) > 20, "MMapDirectory fsyncs each new file: " + lines);
    long regionBytes = Long.parseLong(region.get(5));
    long mmapBytes = Long.parseLong(mmap.get(5));
    assertTrue(mmapBytes >= 100 * 4096L, "at least a block per file: " + lines);
    assertTrue(regionBytes > 0 && regionBytes < mmapBytes, "small files share the data file's blocks: " + lines);
    assertEquals(4, lines.size(), lines.toString());
  }
}
