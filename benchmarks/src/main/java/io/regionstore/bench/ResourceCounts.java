package io.regionstore.bench;

import io.regionstore.StoreStats;
import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;

/**
 * Counts what an open index costs the OS, per directory kind: an index of at least {@code
 * minFiles} files (many small segments, no compound files, no merges) is opened with a
 * DirectoryReader, and this process's mappings and open file descriptors into the index folder
 * are counted from {@code /proc/self}. It also counts the fsyncs of one commit of 10 new segments:
 * for the file-per-file directories every file {@code Directory.sync} is asked for and every
 * {@code syncMetaData} (each is one fsync in FSDirectory); for RegionDirectory the store's own
 * fdatasync count. Last, the disk space the index folder takes: the bytes allocated to its files
 * ({@code st_blocks} of each, as {@code du} counts them, so sparse holes are free and every small
 * file costs at least one file system block). Prints CSV: {@code
 * kind,files,mappings,fds,fsyncs_per_commit,allocated_bytes}.
 */
public final class ResourceCounts {
  private ResourceCounts() {}

  public static void main(String[] args) throws IOException {
    int minFiles = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    run(minFiles, System.out);
  }

  /** Measures every kind and prints the CSV to {@code out}. */
  public static void run(int minFiles, PrintStream out) throws IOException {
    Corpus corpus = Corpus.load();
    out.println("kind,files,mappings,fds,fsyncs_per_commit,allocated_bytes");
    for (DirectoryKind kind : DirectoryKind.values()) {
      Path path = Folders.create("bench-resources");
      try {
        out.println(kind.name().toLowerCase(java.util.Locale.ROOT) + "," + measure(kind, path, corpus, minFiles));
      } finally {
        Folders.delete(path);
      }
    }
  }

  private static String measure(DirectoryKind kind, Path path, Corpus corpus, int minFiles) throws IOException {
    AtomicInteger fsyncs = new AtomicInteger();
    try (Directory raw = kind.open(path);
        Directory counting =
            new FilterDirectory(raw) {
              @Override
              public void sync(Collection<String> names) throws IOException {
                fsyncs.addAndGet(names.size());
                super.sync(names);
              }

              @Override
              public void syncMetaData() throws IOException {
                fsyncs.incrementAndGet();
                super.syncMetaData();
              }
            }) {
      int doc;
      int files;
      try (IndexWriter writer = new IndexWriter(counting, ManyFileIndex.config())) {
        doc = ManyFileIndex.fill(writer, raw, corpus, minFiles, 0);
        for (int s = 0; s < 10; s++) { // one commit of 10 new segments
          doc = ManyFileIndex.addSegment(writer, corpus, doc);
        }
        fsyncs.set(0);
        long storeSyncs = storeSyncs(raw);
        writer.commit();
        int perCommit = raw instanceof RegionDirectory ? (int) (storeSyncs(raw) - storeSyncs) : fsyncs.get();
        files = raw.listAll().length;
        try (DirectoryReader reader = DirectoryReader.open(raw)) {
          return files + "," + mappings(path) + "," + openFiles(path) + "," + perCommit + "," + allocatedBytes(path)
              + (reader.numDocs() == doc ? "" : ",WRONG_DOC_COUNT");
        }
      }
    }
  }

  private static long storeSyncs(Directory dir) {
    if (dir instanceof RegionDirectory region) {
      StoreStats s = region.stats();
      return s.dataSyncs() + s.catalogSyncs();
    }
    return 0;
  }

  /** Bytes allocated on disk to the files of {@code folder} ({@code du --block-size=1 -s}). */
  static long allocatedBytes(Path folder) throws IOException {
    Process du = new ProcessBuilder("du", "--block-size=1", "-s", folder.toString()).redirectErrorStream(true).start();
    String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (du.waitFor() != 0) {
        throw new IOException("du failed on " + folder + ": " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running du on " + folder, e);
    }
    return Long.parseLong(out.trim().split("\\s+")[0]);
  }

  /** Lines of /proc/self/maps that map a file inside {@code folder}. */
  static long mappings(Path folder) throws IOException {
    String prefix = folder.toRealPath() + "/";
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.filter(l -> l.contains(prefix)).count();
    }
  }

  /** Open file descriptors of this process on files inside {@code folder}. */
  static long openFiles(Path folder) throws IOException {
    Path real = folder.toRealPath();
    long n = 0;
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (Files.readSymbolicLink(fd).startsWith(real)) {
            n++;
          }
        } catch (IOException gone) {
          // closed while listing
        }
      }
    }
    return n;
  }
}
