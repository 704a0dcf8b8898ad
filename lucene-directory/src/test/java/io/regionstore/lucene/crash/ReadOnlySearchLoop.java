package io.regionstore.lucene.crash;

import io.regionstore.lucene.RegionDirectory;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * The read-only process of {@link ReadOnlySoakTest}: opens the index in {@code args[0]} with {@link
 * RegionDirectory#openReadOnly}, follows new commits with {@code openIfChanged}, and after every
 * reopen checks the document count and the hit count of every {@code bucket} against {@link
 * CrashModel} (seed {@code args[1]}) replayed to the commit it sees. Prints {@code CHECKED seq} per
 * commit checked; on any exception or wrong count prints {@code FAIL ...} and exits 1. Runs until
 * killed.
 */
public final class ReadOnlySearchLoop {
  private ReadOnlySearchLoop() {}

  public static void main(String[] args) {
    try {
      CrashModel model = new CrashModel(Long.parseLong(args[1]));
      int modelAt = 0;
      try (RegionDirectory dir = RegionDirectory.openReadOnly(Path.of(args[0]))) {
        DirectoryReader reader = DirectoryReader.open(dir);
        System.out.println("READY");
        System.out.flush();
        while (true) {
          int seq = Integer.parseInt(reader.getIndexCommit().getUserData().get("seq"));
          if (seq < modelAt) {
            fail("commits went backwards: " + modelAt + " then " + seq);
          }
          for (; modelAt < seq; modelAt++) {
            model.commit(modelAt + 1);
          }
          check(reader, model, seq);
          DirectoryReader newer;
          while ((newer = DirectoryReader.openIfChanged(reader)) == null) {
            Thread.onSpinWait();
          }
          reader.close();
          reader = newer;
        }
      }
    } catch (Throwable t) {
      fail(t.toString());
    }
  }

  private static void check(DirectoryReader reader, CrashModel model, int seq) throws Exception {
    if (reader.numDocs() != model.live().size()) {
      fail("commit " + seq + ": " + reader.numDocs() + " docs, expected " + model.live().size());
    }
    IndexSearcher searcher = new IndexSearcher(reader);
    for (int b = 0; b < 10; b++) {
      String bucket = Integer.toString(b);
      long expected = model.live().keySet().stream().filter(id -> CrashModel.bucket(id).equals(bucket)).count();
      int hits = searcher.count(new TermQuery(new Term("bucket", bucket)));
      if (hits != expected) {
        fail("commit " + seq + ", bucket " + b + ": " + hits + " hits, expected " + expected);
      }
    }
    System.out.println("CHECKED " + seq);
    System.out.flush();
  }

  private static void fail(String why) {
    System.out.println("FAIL " + why);
    System.out.flush();
    System.exit(1);
  }
}
