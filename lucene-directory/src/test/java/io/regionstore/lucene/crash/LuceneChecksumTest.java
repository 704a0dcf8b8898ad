package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.MMapDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flipped byte inside a Lucene file is caught by Lucene's own checksums on RegionDirectory
 * exactly as on MMapDirectory: the same byte is flipped in the same file in both, and both fail
 * {@code CodecUtil.checksumEntireFile} with CorruptIndexException naming the file, and CheckIndex.
 */
class LuceneChecksumTest {
  @TempDir Path dir;

  @Test
  void aFlippedByteInsideAFileIsCaughtAsOnMMapDirectory() throws Exception {
    Path regionPath = dir.resolve("region");
    Path mmapPath = dir.resolve("mmap");
    try (RegionDirectory region = new RegionDirectory(regionPath)) {
      try (IndexWriter writer =
          new IndexWriter(region, new IndexWriterConfig(new StandardAnalyzer()).setUseCompoundFile(false))) {
        for (int i = 0; i < 2000; i++) {
          Document doc = new Document();
          doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
          doc.add(new TextField("body", CrashModel.body(i), Field.Store.YES));
          writer.addDocument(doc);
        }
      }
      try (MMapDirectory mmap = new MMapDirectory(mmapPath)) {
        for (String file : region.listAll()) {
          mmap.copyFrom(region, file, file, IOContext.DEFAULT);
        }
      }
    }
    String victim = stored(regionPath);
    long within = 1000;
    byte[] head = new byte[256];
    try (RandomAccessFile f = new RandomAccessFile(mmapPath.resolve(victim).toFile(), "r")) {
      f.readFully(head);
      assertTrue(f.length() > within + 1, victim + " is too small");
    }
    long regionAt = find(Files.readAllBytes(regionPath.resolve("regionstore.data")), head);
    flip(regionPath.resolve("regionstore.data"), regionAt + within);
    flip(mmapPath.resolve(victim), within);

    try (RegionDirectory region = new RegionDirectory(regionPath);
        MMapDirectory mmap = new MMapDirectory(mmapPath)) {
      String regionProblem = checksumProblem(region, victim);
      String mmapProblem = checksumProblem(mmap, victim);
      assertTrue(regionProblem.contains("checksum failed"), regionProblem);
      assertTrue(regionProblem.contains(victim), regionProblem);
      assertEquals(
          mmapProblem.substring(0, mmapProblem.indexOf('(')),
          regionProblem.substring(0, regionProblem.indexOf('(')),
          "same detection as MMapDirectory");
      assertFalse(clean(region), "CheckIndex on RegionDirectory");
      assertFalse(clean(mmap), "CheckIndex on MMapDirectory");
    }
  }

  private static String stored(Path regionPath) throws IOException {
    try (RegionDirectory region = new RegionDirectory(regionPath)) {
      return Arrays.stream(region.listAll()).filter(f -> f.endsWith(".fdt")).findFirst().orElseThrow();
    }
  }

  private static String checksumProblem(Directory dir, String file) throws IOException {
    try (IndexInput in = dir.openInput(file, IOContext.READONCE)) {
      return assertThrows(CorruptIndexException.class, () -> CodecUtil.checksumEntireFile(in)).getMessage();
    }
  }

  private static boolean clean(Directory dir) throws IOException {
    try (CheckIndex check = new CheckIndex(dir)) {
      check.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS);
      return check.checkIndex().clean;
    }
  }

  private static long find(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("file bytes not found in the data file");
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x20);
    }
  }
}
