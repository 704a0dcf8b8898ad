package io.regionstore.lucene.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.regionstore.RegionStore;
import io.regionstore.io.ChannelOpener;
import io.regionstore.io.ForwardingFileChannel;
import io.regionstore.lucene.RegionDirectory;
import io.regionstore.lucene.RegionDirectoryConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fails the Nth write, fsync, map or hole-punch call, for N = 1, 2, ... until a run completes without
 * reaching N, while an IndexWriter adds documents and commits on top of an existing commit. Every
 * outcome must be the old commit or the new one (the new one if {@code commit()} returned), with a
 * clean CheckIndex, exact space accounting both in the failed process and after reopening, and a
 * store that takes new commits. Transient: only call N fails. Persistent: call N and every later
 * one fail, as on a disk that has gone bad.
 */
class FailNthIoTest {
  private static final int OLD_DOCS = 40;
  private static final int NEW_DOCS = 60;

  enum Mode {
    TRANSIENT,
    PERSISTENT
  }

  @TempDir Path root;

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyFailedCallLeavesTheOldOrTheNewCommit(Mode mode) throws Exception {
    int oldOutcomes = 0;
    int newOutcomes = 0;
    int n = 1;
    for (; ; n++) {
      Path path = root.resolve(mode + "-" + n);
      commit(new RegionDirectory(path), 0, OLD_DOCS, 1);
      AtomicBoolean armed = new AtomicBoolean();
      AtomicBoolean failed = new AtomicBoolean();
      AtomicInteger calls = new AtomicInteger();
      int failAt = n;
      ChannelOpener faulty =
          (file, options) ->
              new ForwardingFileChannel(FileChannel.open(file, options)) {
                @Override
                protected void beforeCall(String op, long position) throws IOException {
                  if (!armed.get() || !List.of("write", "force", "map", "punch").contains(op)) {
                    return;
                  }
                  int call = calls.incrementAndGet();
                  if (call == failAt || (mode == Mode.PERSISTENT && call > failAt)) {
                    failed.set(true);
                    throw new IOException("injected failure of " + op + " (call " + call + ")");
                  }
                }
              };
      boolean committed = false;
      try (RegionDirectory dir = RegionDirectory.open(path, RegionDirectoryConfig.builder().channelOpener(faulty).build())) {
        armed.set(true);
        try {
          commit(dir, OLD_DOCS, NEW_DOCS, 2);
          committed = true;
        } catch (IOException | RuntimeException expected) {
          assertTrue(failed.get(), "failed without an injected failure: " + expected);
        }
        dir.checkSpace(); // no space leaked or doubly owned in the process that saw the failure
      } catch (IOException closing) {
        assertTrue(failed.get(), "close failed without an injected failure: " + closing);
      }
      if (!failed.get()) {
        assertTrue(committed);
        break; // N is past the last call: the whole run was clean
      }
      int seq = verify(path, "N=" + n + " " + mode);
      assertTrue(!committed || seq == 2, "commit() returned but the index is at commit " + seq);
      if (seq == 1) {
        oldOutcomes++;
      } else {
        newOutcomes++;
      }
    }
    System.out.printf(
        "FailNthIoTest %s: %d failure points; outcomes: old commit %d, new commit %d%n", mode, n - 1, oldOutcomes, newOutcomes);
    assertTrue(n > 20, "the commit made only " + (n - 1) + " write/force/map calls");
  }

  /** Reopens healthy: old or new commit, exactly; clean; exact space; takes a new commit. */
  private static int verify(Path path, String context) throws IOException {
    int seq;
    try (RegionDirectory dir = new RegionDirectory(path)) {
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        seq = Integer.parseInt(reader.getIndexCommit().getUserData().get("seq"));
        assertEquals(seq == 1 ? OLD_DOCS : OLD_DOCS + NEW_DOCS, reader.numDocs(), context);
      }
      try (CheckIndex check = new CheckIndex(dir)) {
        assertTrue(check.checkIndex().clean, context + ": CheckIndex found problems");
      }
      dir.checkSpace();
      commit(dir, 10_000, 1, 3);
    }
    try (RegionStore store = RegionStore.open(path)) {
      store.checkSpace();
    }
    return seq;
  }

  /** Adds {@code count} documents from id {@code first} and commits with sequence {@code seq}. */
  private static void commit(Directory dir, int first, int count, int seq) throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig(new StandardAnalyzer())
            .setMaxBufferedDocs(10)
            .setMergeScheduler(new SerialMergeScheduler());
    IndexWriter writer = new IndexWriter(dir, config);
    try {
      for (int i = first; i < first + count; i++) {
        Document doc = new Document();
        doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
        doc.add(new TextField("body", CrashModel.body(i), Field.Store.NO));
        writer.addDocument(doc);
      }
      writer.setLiveCommitData(Map.of("seq", Integer.toString(seq)).entrySet());
      writer.commit();
      writer.close();
    } catch (IOException | RuntimeException e) {
      try {
        writer.rollback();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    if (seq == 1 && first == 0) {
      dir.close(); // the setup commit owns its directory
    }
  }
}
