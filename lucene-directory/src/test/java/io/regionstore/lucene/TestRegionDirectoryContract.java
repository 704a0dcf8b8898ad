package io.regionstore.lucene;

import io.regionstore.RegionStore;
import io.regionstore.StoreStats;
import io.regionstore.errors.StoreLockedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FlushInfo;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NoLockFactory;
import org.apache.lucene.store.SimpleFSLockFactory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The parts of the {@code Directory} contract the Lucene suites do not pin down, and this
 * directory's own rules: what is listed, locks, files being written, renames and compaction under
 * open inputs, read-only refusals, size hints, and closing.
 */
public class TestRegionDirectoryContract extends LuceneTestCase {

  public void testListAllShowsOnlyIndexFilesSorted() throws IOException {
    Path path = createTempDir();
    try (RegionDirectory dir = new RegionDirectory(path)) {
      try (Lock lock = dir.obtainLock("write.lock")) {
        lock.ensureValid();
        for (String name : List.of("b", "_0.cfs", "segments_1", "a")) {
          write(dir, name, 10);
        }
        assertTrue(Files.exists(path.resolve("write.lock")));
        for (String storeFile : RegionStore.STORE_FILES) {
          assertTrue(storeFile, Files.exists(path.resolve(storeFile)));
        }
        assertArrayEquals(new String[] {"_0.cfs", "a", "b", "segments_1"}, dir.listAll());
      }
    }
  }

  public void testLockFilesLiveInTheFolderAndExcludeAnFSDirectory() throws IOException {
    Path path = createTempDir();
    try (RegionDirectory dir = new RegionDirectory(path, SimpleFSLockFactory.INSTANCE);
        Lock lock = dir.obtainLock("write.lock")) {
      assertTrue(Files.exists(path.resolve("write.lock")));
      // an FSDirectory on the same folder with the same factory sees the lock as held
      try (var fs = new org.apache.lucene.store.NIOFSDirectory(path, SimpleFSLockFactory.INSTANCE)) {
        expectThrows(LockObtainFailedException.class, () -> fs.obtainLock("write.lock"));
      }
      assertTrue(dir.toString(), dir.toString().contains("SimpleFSLockFactory"));
      lock.ensureValid();
    }
  }

  public void testNoLockFactoryGrantsEveryLockAndWritesNoFile() throws IOException {
    Path path = createTempDir();
    try (RegionDirectory dir = new RegionDirectory(path, NoLockFactory.INSTANCE);
        Lock a = dir.obtainLock("write.lock");
        Lock b = dir.obtainLock("write.lock")) {
      a.ensureValid();
      b.ensureValid();
      assertFalse(Files.exists(path.resolve("write.lock")));
    }
  }

  public void testSecondWriterOfTheStoreIsRefused() throws IOException {
    Path path = createTempDir();
    try (RegionDirectory dir = new RegionDirectory(path)) {
      expectThrows(StoreLockedException.class, () -> new RegionDirectory(path, NoLockFactory.INSTANCE));
      write(dir, "still-usable", 3);
    }
    // the failed open released what it had taken: the folder can be opened again
    new RegionDirectory(path).close();
  }

  public void testFileBeingWrittenIsListedMeasuredAndProtected() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      IndexOutput out = dir.createOutput("open", IOContext.DEFAULT);
      out.writeBytes(new byte[100_000], 100_000);
      assertArrayEquals(new String[] {"open"}, dir.listAll());
      assertEquals(100_000, dir.fileLength("open"));
      assertEquals(100_000, out.getFilePointer());
      assertTrue(
          expectThrows(AccessDeniedException.class, () -> dir.openInput("open", IOContext.DEFAULT))
              .getMessage()
              .contains("still open for writing"));
      expectThrows(AccessDeniedException.class, () -> dir.sync(List.of("open")));
      expectThrows(AccessDeniedException.class, () -> dir.rename("open", "other"));
      expectThrows(FileAlreadyExistsException.class, () -> dir.createOutput("open", IOContext.DEFAULT));
      out.close();
      dir.sync(List.of("open"));
      try (IndexInput in = dir.openInput("open", IOContext.DEFAULT)) {
        assertEquals(100_000, in.length());
      }
    }
  }

  public void testDeletingAFileBeingWrittenDiscardsIt() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      IndexOutput out = dir.createOutput("doomed", IOContext.DEFAULT);
      out.writeInt(1);
      dir.deleteFile("doomed");
      assertEquals(0, dir.listAll().length);
      write(dir, "doomed", 8); // the name is free again
      out.writeInt(2);
      out.close(); // seals bytes nobody sees
      assertEquals(8, dir.fileLength("doomed"));
      assertEquals(1, dir.stats().regions());
    }
  }

  public void testMissingFilesAndBadNames() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      for (var op :
          List.<ThrowingRunnable>of(
              () -> dir.openInput("nope", IOContext.DEFAULT),
              () -> dir.fileLength("nope"),
              () -> dir.deleteFile("nope"),
              () -> dir.rename("nope", "x"),
              () -> dir.sync(List.of("nope")))) {
        NoSuchFileException e = expectThrows(NoSuchFileException.class, op);
        assertTrue(e.getMessage(), e.getMessage().contains("nope"));
      }
      write(dir, "a", 1);
      write(dir, "b", 1);
      expectThrows(FileAlreadyExistsException.class, () -> dir.rename("a", "b"));
      IllegalArgumentException e =
          expectThrows(IllegalArgumentException.class, () -> dir.createOutput("x/y", IOContext.DEFAULT));
      assertTrue(e.getMessage(), e.getMessage().contains("x/y"));
    }
  }

  public void testTempOutputsFollowLuceneNamingAndSkipTakenNames() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      write(dir, "_0_sort_0.tmp", 1); // what the first temp name would be
      IndexOutput a = dir.createTempOutput("_0", "sort", IOContext.DEFAULT);
      IndexOutput b = dir.createTempOutput("_0", "sort", IOContext.DEFAULT);
      assertEquals("_0_sort_1.tmp", a.getName());
      assertEquals("_0_sort_2.tmp", b.getName());
      a.close();
      b.close();
    }
  }

  public void testRenameIsAtomicAndOpenInputsKeepTheirBytes() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      write(dir, "pending_segments_1", 1000);
      try (IndexInput in = dir.openInput("pending_segments_1", IOContext.DEFAULT)) {
        dir.rename("pending_segments_1", "segments_1");
        assertArrayEquals(new String[] {"segments_1"}, dir.listAll());
        dir.deleteFile("segments_1");
        write(dir, "segments_1", 500); // reuses nothing the open input reads
        assertEquals(1000, in.length());
        in.seek(999);
        assertEquals((byte) 999, in.readByte());
      }
      assertEquals(500, dir.fileLength("segments_1"));
    }
  }

  public void testCompactionUnderOpenInputs() throws IOException {
    try (RegionDirectory dir =
        RegionDirectory.open(createTempDir(), RegionDirectoryConfig.builder().chunkSize(1 << 16).build())) {
      for (int i = 0; i < 20; i++) {
        write(dir, "f" + i, 20_000 + i);
      }
      dir.syncMetaData();
      try (IndexInput before = dir.openInput("f19", IOContext.DEFAULT)) {
        for (int i = 0; i < 19; i++) {
          dir.deleteFile("f" + i);
        }
        var result = dir.compact();
        assertTrue(result.toString(), result.regionsMoved() >= 1);
        // the input opened before the move reads the old copy; a new one reads the new copy
        try (IndexInput after = dir.openInput("f19", IOContext.DEFAULT)) {
          assertEquals(before.length(), after.length());
          for (int p = 0; p < after.length(); p += 997) {
            before.seek(p);
            after.seek(p);
            assertEquals((byte) p, before.readByte());
            assertEquals((byte) p, after.readByte());
          }
        }
      }
      dir.store().checkSpace();
    }
  }

  public void testSizeHintsReserveSpaceUpToTheCap() throws IOException {
    RegionDirectoryConfig config =
        RegionDirectoryConfig.builder()
            .maxSizeHint(4 << 20)
            .firstExtentSize(4096)
            .writeBufferSize(512)
            .build();
    IOContext small = IOContext.flush(new FlushInfo(10, 300_000));
    IOContext huge = IOContext.flush(new FlushInfo(10, 1L << 40));
    assertEquals(0, config.expectedLength(IOContext.DEFAULT));
    assertEquals(300_000, config.expectedLength(small));
    assertEquals(4 << 20, config.expectedLength(huge));
    try (RegionDirectory dir = RegionDirectory.open(createTempDir(), config)) {
      try (IndexOutput a = dir.createOutput("a", small);
          IndexOutput b = dir.createOutput("b", huge);
          IndexOutput c = dir.createOutput("c", IOContext.DEFAULT)) {
        for (IndexOutput out : List.of(a, b, c)) {
          // past both buffers (8 KiB in the output, 512 B in the region writer): space is reserved
          out.writeBytes(new byte[10_000], 10_000);
        }
        // the hint (64-byte aligned); the capped hint; the 4 KiB default, then 8 KiB more
        assertEquals(300_032 + (4 << 20) + 4096 + 8192, dir.stats().liveBytes());
      }
      // sealing gives back the unused tails: 10,000 bytes, 64-byte aligned, each
      assertEquals(3 * 10_048, dir.stats().liveBytes());
    }
  }

  public void testReadOnlyDirectoryRefusesWrites() throws IOException {
    Path path = createTempDir();
    try (RegionDirectory writer = new RegionDirectory(path)) {
      write(writer, "f", 10);
      writer.syncMetaData();
    }
    try (RegionDirectory dir = RegionDirectory.openReadOnly(path)) {
      assertTrue(dir.isReadOnly());
      assertArrayEquals(new String[] {"f"}, dir.listAll());
      for (var op :
          List.<ThrowingRunnable>of(
              () -> dir.createOutput("g", IOContext.DEFAULT),
              () -> dir.createTempOutput("g", "h", IOContext.DEFAULT),
              () -> dir.deleteFile("f"),
              () -> dir.rename("f", "g"),
              () -> dir.sync(List.of("f")),
              dir::syncMetaData,
              dir::compact,
              () -> dir.obtainLock("write.lock"))) {
        UnsupportedOperationException e = expectThrows(UnsupportedOperationException.class, op);
        assertTrue(e.getMessage(), e.getMessage().contains("read-only"));
      }
      try (IndexInput in = dir.openInput("f", IOContext.DEFAULT)) {
        in.seek(9);
        assertEquals(9, in.readByte());
      }
    }
    expectThrows(NoSuchFileException.class, () -> RegionDirectory.openReadOnly(createTempDir()));
  }

  public void testEverythingThrowsAlreadyClosedAfterClose() throws IOException {
    RegionDirectory dir = new RegionDirectory(createTempDir());
    write(dir, "f", 10);
    IndexOutput open = dir.createOutput("g", IOContext.DEFAULT);
    dir.close();
    dir.close(); // idempotent
    for (var op :
        List.<ThrowingRunnable>of(
            dir::listAll,
            () -> dir.fileLength("f"),
            () -> dir.openInput("f", IOContext.DEFAULT),
            () -> dir.createOutput("h", IOContext.DEFAULT),
            () -> dir.createTempOutput("h", "t", IOContext.DEFAULT),
            () -> dir.deleteFile("f"),
            () -> dir.rename("f", "h"),
            () -> dir.sync(List.of("f")),
            dir::syncMetaData,
            dir::getPendingDeletions,
            dir::stats,
            dir::compact,
            () -> dir.obtainLock("write.lock"))) {
      expectThrows(AlreadyClosedException.class, op);
    }
    // an output left open by the close was discarded; writing to it fails the Lucene way
    expectThrows(AlreadyClosedException.class, () -> {
      open.writeBytes(new byte[10_000], 10_000);
      open.close();
    });
  }

  public void testOutputAfterCloseThrows() throws IOException {
    try (RegionDirectory dir = new RegionDirectory(createTempDir())) {
      IndexOutput out = dir.createOutput("f", IOContext.DEFAULT);
      out.writeInt(7);
      long checksum = out.getChecksum();
      out.close();
      out.close();
      expectThrows(AlreadyClosedException.class, () -> out.writeByte((byte) 1));
      expectThrows(AlreadyClosedException.class, out::getChecksum);
      try (var in = dir.openChecksumInput("f")) {
        in.readInt();
        assertEquals(checksum, in.getChecksum());
      }
    }
  }

  public void testConfigValidation() {
    var b = RegionDirectoryConfig.builder();
    assertTrue(expectThrows(IllegalArgumentException.class, () -> b.chunkSize(3000))
        .getMessage().contains("chunkSize"));
    assertTrue(expectThrows(IllegalArgumentException.class, () -> b.writeBufferSize(10))
        .getMessage().contains("writeBufferSize"));
    assertTrue(expectThrows(IllegalArgumentException.class, () -> b.firstExtentSize(1))
        .getMessage().contains("firstExtentSize"));
    assertTrue(expectThrows(IllegalArgumentException.class, () -> b.maxSizeHint(-1))
        .getMessage().contains("maxSizeHint"));
    expectThrows(NullPointerException.class, () -> b.preload(null));
    expectThrows(NullPointerException.class, () -> b.readAdvice(null));
    expectThrows(NullPointerException.class, () -> b.defaultReadAdvice(null));
    RegionDirectoryConfig d = RegionDirectoryConfig.defaults();
    assertEquals(1L << 30, d.chunkSize());
    assertEquals(1 << 16, d.writeBufferSize());
    assertEquals(1L << 20, d.firstExtentSize());
    assertEquals(RegionDirectoryConfig.DEFAULT_MAX_SIZE_HINT, d.maxSizeHint());
  }

  public void testFilesSurviveReopenOnlyAfterSyncMetaData() throws IOException {
    Path path = createTempDir();
    try (RegionDirectory dir = new RegionDirectory(path)) {
      write(dir, "durable", 100);
      dir.sync(List.of("durable"));
      dir.syncMetaData();
      write(dir, "synced-but-no-metadata", 100);
      dir.sync(List.of("synced-but-no-metadata"));
    } // close does not sync: as after a crash
    try (RegionDirectory dir = new RegionDirectory(path)) {
      assertArrayEquals(new String[] {"durable"}, dir.listAll());
      assertEquals(100, dir.fileLength("durable"));
    }
  }

  private static void write(RegionDirectory dir, String name, int length) throws IOException {
    try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
      for (int i = 0; i < length; i++) {
        out.writeByte((byte) i);
      }
    }
  }
}
