package io.regionstore.lucene;

import static org.apache.lucene.tests.util.LuceneTestCase.expectThrows;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/**
 * Replacements for the tests of Lucene's {@code BaseDirectoryTestCase} that are specific to {@code
 * FSDirectory} or {@code MMapDirectory}: two only run on an {@code FSDirectory} (they skip
 * themselves elsewhere), and the {@code isLoaded} pair expects only an {@code MMapDirectory} to
 * answer. What they check is done here through the directory.
 */
final class ReplacedSuiteTests {
  private ReplacedSuiteTests() {}

  /**
   * For {@code testFsyncDoesntCreateNewFiles}, which deletes the file with {@code Files.delete}:
   * here it is deleted through the directory; sync of the missing file must throw
   * NoSuchFileException and create nothing, in the folder or in the listing.
   */
  static void syncOfMissingFileCreatesNothing(Directory dir, Path folder) throws IOException {
    try (IndexOutput out = dir.createOutput("afile", IOContext.DEFAULT)) {
      out.writeString("boo");
    }
    dir.deleteFile("afile");
    List<String> folderBefore = list(folder);
    String[] listBefore = dir.listAll();
    expectThrows(NoSuchFileException.class, () -> dir.sync(List.of("afile")));
    assertArrayEquals(listBefore, dir.listAll());
    assertEquals(folderBefore, list(folder));
  }

  /**
   * For {@code testPendingDeletions}, which needs deletes that a virus checker makes fail and
   * pend: a region delete cannot fail that way, so the file must be gone at once, with no pending
   * deletion, even while an input has it open (which keeps reading it).
   */
  static void deletesNeverPend(Directory dir) throws IOException {
    try (IndexOutput out = dir.createOutput("_0.test", IOContext.DEFAULT)) {
      out.writeInt(42);
    }
    try (IndexInput open = dir.openInput("_0.test", IOContext.DEFAULT)) {
      dir.deleteFile("_0.test");
      assertEquals(0, dir.getPendingDeletions().size());
      assertFalse(Arrays.asList(dir.listAll()).contains("_0.test"));
      expectThrows(NoSuchFileException.class, () -> dir.fileLength("_0.test"));
      expectThrows(NoSuchFileException.class, () -> dir.rename("_0.test", "file2"));
      expectThrows(NoSuchFileException.class, () -> dir.deleteFile("_0.test"));
      expectThrows(NoSuchFileException.class, () -> dir.openInput("_0.test", IOContext.DEFAULT));
      assertEquals(42, open.readInt());
    }
  }

  private static List<String> list(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * For {@code testIsLoaded} and {@code testIsLoadedOnSlice}, which require every directory but
   * {@code MMapDirectory} to answer "unknown". This directory asks the OS ({@code mincore} on its
   * mapping) as {@code MMapDirectory} does, so the suite's {@code MMapDirectory} expectation is
   * the one that applies: a file just written and opened is reported loaded, whole or sliced.
   */
  static void isLoadedLikeMMapDirectory(Directory dir, int startOffset, Random random) throws IOException {
    int total = startOffset + 16384 + random.nextInt(65536 - 16384 + 1);
    byte[] bytes = new byte[total];
    random.nextBytes(bytes);
    try (IndexOutput out = dir.createOutput("temp.bin", IOContext.DEFAULT)) {
      out.writeBytes(bytes, bytes.length);
    }
    try (IndexInput orig = dir.openInput("temp.bin", IOContext.DEFAULT)) {
      IndexInput in = startOffset == 0 ? orig.clone() : orig.slice("slice", startOffset, total - startOffset);
      assertEquals(java.util.Optional.of(true), in.isLoaded());
    }
  }
}
