package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.regionstore.RegionStore;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 16 MiB tmpfs the test mounts (it needs root; elsewhere it is skipped with a
 * message saying so). Indexing until the disk is full must fail with an IOException, never an
 * InternalError or SIGBUS; the writer rolls back; the last commit stays readable; and once space
 * is freed, indexing and committing succeed and CheckIndex is clean.
 */
class DiskFullTest {
  @TempDir Path root;
  private Path mount;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mount = root.resolve("small");
    Files.createDirectories(mount);
    boolean mounted = false;
    String why = "not root";
    if ("root".equals(System.getProperty("user.name"))) {
      Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString())
          .redirectErrorStream(true)
          .start();
      mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
      why = new String(p.getInputStream().readAllBytes()).trim();
    }
    assumeTrue(mounted, "DiskFullTest skipped: it mounts a 16 MiB tmpfs and so needs root (" + why + ")");
  }

  @AfterEach
  void unmount() throws Exception {
    Process p = new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void fullDiskIsAnIOExceptionAndFreeingSpaceLetsTheNextCommitSucceed() throws Exception {
    Path index = mount.resolve("index");
    Path ballast = mount.resolve("ballast");
    Files.write(ballast, new byte[4 << 20]);
    int committed;
    try (RegionDirectory dir = new RegionDirectory(index)) {
      committed = addAndCommit(dir, 0, 200);
      IOException full = null;
      IndexWriter writer = new IndexWriter(dir, config());
      int id = 200;
      try {
        for (; id < 1_000_000; id++) {
          writer.addDocument(doc(id));
          if (id % 500 == 0) {
            writer.commit();
            committed = id + 1;
          }
        }
      } catch (IOException e) {
        full = e;
      } finally {
        writer.rollback();
      }
      assertNotNull(full, "the disk never filled up");
      assertTrue(rootCause(full).getMessage().contains("No space left"), "expected ENOSPC: " + full);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(committed, reader.numDocs(), "the last commit survives a full disk");
      }
      Files.delete(ballast); // free space
      int before = committed;
      committed = addAndCommit(dir, 2_000_000, 300);
      assertEquals(before + 300, committed);
      dir.checkSpace();
    }
    try (RegionDirectory dir = new RegionDirectory(index)) {
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(committed, reader.numDocs());
      }
      try (CheckIndex check = new CheckIndex(dir)) {
        assertTrue(check.checkIndex().clean);
      }
    }
    try (RegionStore store = RegionStore.open(index)) {
      store.checkSpace();
    }
  }

  private static int addAndCommit(RegionDirectory dir, int first, int count) throws IOException {
    try (IndexWriter writer = new IndexWriter(dir, config())) {
      for (int i = first; i < first + count; i++) {
        writer.addDocument(doc(i));
      }
      writer.commit();
      return writer.getDocStats().numDocs;
    }
  }

  private static IndexWriterConfig config() {
    return new IndexWriterConfig(new StandardAnalyzer())
        .setMaxBufferedDocs(100)
        .setMergeScheduler(new SerialMergeScheduler());
  }

  private static Document doc(int id) {
    Document doc = new Document();
    doc.add(new StringField("id", Integer.toString(id), Field.Store.YES));
    doc.add(new TextField("body", CrashModel.body(id % 17_000), Field.Store.YES));
    return doc;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    assertInstanceOf(IOException.class, c, "root cause of " + t);
    return c;
  }
}
