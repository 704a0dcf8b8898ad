package io.regionstore.lucene;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NoLockFactory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * How {@link RegionDirectory} scopes its inputs' views: the files of one segment share one scope
 * (closed once, when the segment's last input closes), and read-once inputs are confined to their
 * thread, as {@code MMapDirectory} does.
 */
public class TestInputGroups extends LuceneTestCase {
  private static final int SIZE = 20_000;

  private RegionDirectory open(RegionDirectoryConfig config) throws IOException {
    return new RegionDirectory(createTempDir(), NoLockFactory.INSTANCE, config);
  }

  private static byte[] write(RegionDirectory dir, String name, long seed) throws IOException {
    byte[] bytes = new byte[SIZE];
    new java.util.Random(seed).nextBytes(bytes);
    try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
      out.writeBytes(bytes, bytes.length);
    }
    return bytes;
  }

  private static long le64(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }

  public void testACloneOfAClosedSegmentFileReadsUntilTheSegmentsLastInputCloses() throws IOException {
    try (RegionDirectory dir = open(RegionDirectoryConfig.defaults())) {
      byte[] tim = write(dir, "_0.tim", 1);
      write(dir, "_0.doc", 2);
      IndexInput in = dir.openInput("_0.tim", IOContext.DEFAULT);
      IndexInput other = dir.openInput("_0.doc", IOContext.DEFAULT);
      IndexInput clone = in.clone();
      assertEquals(le64(tim, 0), clone.readLong());
      in.close();
      expectThrows(AlreadyClosedException.class, in::readByte);
      expectThrows(AlreadyClosedException.class, in::clone);
      assertEquals("the segment's scope is open: the clone's bytes are still the file's",
          le64(tim, 8), clone.readLong());
      other.close();
      expectThrows(AlreadyClosedException.class, clone::readLong);
      expectThrows(AlreadyClosedException.class, () -> clone.seek(SIZE - 1));
    }
  }

  public void testWithoutGroupingAClosedInputsClonesFailAtOnce() throws IOException {
    try (RegionDirectory dir =
        open(RegionDirectoryConfig.builder().groupingFunction(MMapDirectory.NO_GROUPING).build())) {
      write(dir, "_0.tim", 3);
      write(dir, "_0.doc", 4);
      try (IndexInput other = dir.openInput("_0.doc", IOContext.DEFAULT)) {
        IndexInput in = dir.openInput("_0.tim", IOContext.DEFAULT);
        IndexInput clone = in.clone();
        clone.readLong();
        in.close();
        expectThrows(AlreadyClosedException.class, clone::readLong);
        other.readByte();
      }
    }
  }

  public void testADeletedSegmentFilesSpaceIsHeldUntilTheSegmentsLastInputCloses() throws IOException {
    try (RegionDirectory dir = open(RegionDirectoryConfig.defaults())) {
      write(dir, "_1.tim", 5);
      write(dir, "_1.doc", 6);
      IndexInput in = dir.openInput("_1.tim", IOContext.DEFAULT);
      IndexInput other = dir.openInput("_1.doc", IOContext.DEFAULT);
      dir.deleteFile("_1.tim");
      in.close();
      assertEquals("rounded to 64 bytes", 20_032, dir.stats().heldByReadersBytes());
      other.close();
      assertEquals(0, dir.stats().heldByReadersBytes());
      dir.checkSpace();
    }
  }

  public void testAReadOnceInputIsConfinedToItsThread() throws Exception {
    try (RegionDirectory dir = open(RegionDirectoryConfig.defaults())) {
      byte[] si = write(dir, "_2.si", 7);
      IndexInput in = dir.openInput("_2.si", IOContext.READONCE);
      assertEquals(le64(si, 0), in.readLong());
      assertSame(WrongThreadException.class, onOtherThread(in::readLong));
      assertSame(WrongThreadException.class, onOtherThread(in::close));
      assertEquals(le64(si, 8), in.readLong());
      in.close();
      expectThrows(AlreadyClosedException.class, in::readLong);
      assertEquals(0, dir.stats().openReaders());
    }
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  /** Runs {@code action} on a new thread: the class of what it threw, or null. */
  private static Class<?> onOtherThread(Action action) throws InterruptedException {
    AtomicReference<Class<?>> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                action.run();
              } catch (Throwable e) {
                thrown.set(e.getClass());
              }
            });
    t.start();
    t.join();
    return thrown.get();
  }
}
