package io.regionstore.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackLayout;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Europarl index packed with its Lucene plan: same hits, and opening reads only the hot section. */
class TestPackedIndex {
  private static final int DOCS = 4000;

  @TempDir static Path shared;
  static Path index;
  static Path packed;
  static PackLayout layout;

  @TempDir Path tmp;

  @BeforeAll
  static void buildAndPack() throws IOException {
    index = shared.resolve("index");
    packed = shared.resolve("europarl.pack");
    try (RegionDirectory dir = new RegionDirectory(index)) {
      IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()));
      EuroparlIndex.addAll(w, DOCS);
      layout = dir.pack(packed);
      w.addDocument(new Document()); // not committed: packing again gives the same file
      w.flush();
      dir.pack(shared.resolve("while-writing.pack"));
      w.rollback();
    }
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(shared.resolve("while-writing.pack")));
  }

  @Test
  void thePackedIndexGivesTheSameHitsAsTheSource() throws IOException {
    try (RegionDirectory source = RegionDirectory.openReadOnly(index);
        RegionDirectory pack = RegionDirectory.openReadOnly(packed);
        DirectoryReader sourceReader = DirectoryReader.open(source);
        DirectoryReader packReader = DirectoryReader.open(pack)) {
      assertEquals(DOCS - 1, packReader.numDocs());
      assertEquals(sourceReader.numDocs(), packReader.numDocs());
      EuroparlIndex.assertSameHits(new IndexSearcher(sourceReader), new IndexSearcher(packReader));
    }
  }

  @Test
  void openingADirectoryReaderOnThePackedFileReadsOnlyTheHotSection() throws IOException {
    PackedFront front = front();
    try (RegionDirectory pack = RegionDirectory.openReadOnly(packed)) {
      RecordingDirectory recording = new RecordingDirectory(pack);
      try (DirectoryReader reader = DirectoryReader.open(recording)) {
        List<ReadRecorder.Range> atOpen = recording.recorder().ranges();
        assertTrue(atOpen.size() > 20, "reads at open: " + atOpen);
        for (ReadRecorder.Range r : atOpen) {
          assertNotNull(front.hotRange(r.file(), r.offset(), r.length()), "read outside the hot section at open: " + r);
        }
        // A search reads postings: the check above can fail.
        new IndexSearcher(reader).search(new TermQuery(new Term("body", "president")), 10);
        boolean cold = false;
        for (ReadRecorder.Range r : recording.recorder().ranges()) {
          cold |= front.hotRange(r.file(), r.offset(), r.length()) == null;
        }
        assertTrue(cold, "a search read only hot bytes: the check proves nothing");
      }
    }
    System.out.printf(
        "packed Europarl (%d docs): file %d bytes, front %d bytes (first window %d), %d hot ranges, %d hot bytes%n",
        DOCS, layout.fileLength(), layout.frontLength(), PackFormat.FIRST_WINDOW, layout.hotRanges(), layout.hotLength());
  }

  @Test
  void packingTheSameCommitAgainGivesTheSameBytesAndTheExactLength() throws IOException {
    assertEquals(layout.fileLength(), Files.size(packed));
    assertEquals(layout.frontLength() + layout.regionBytes(), layout.fileLength());
    Path again = tmp.resolve("again.pack");
    try (RegionDirectory pack = RegionDirectory.openReadOnly(packed)) {
      pack.pack(again); // from the packed file: the same generation and files
    }
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(again));
    Path fromReadOnly = tmp.resolve("read-only.pack");
    try (RegionDirectory source = RegionDirectory.openReadOnly(index)) {
      source.pack(fromReadOnly);
    }
    assertArrayEquals(Files.readAllBytes(packed), Files.readAllBytes(fromReadOnly));
  }

  static PackedFront front() throws IOException {
    byte[] all = Files.readAllBytes(packed);
    long front = PackedFileReader.frontLength(ByteBuffer.wrap(all, 0, PackFormat.FIRST_WINDOW), all.length, packed);
    return PackedFileReader.parse(ByteBuffer.wrap(all, 0, (int) front), all.length, packed);
  }
}
