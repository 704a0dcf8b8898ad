package io.regionstore.lucene;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * The child process of {@link TestReadOnlySharing}: opens a {@link RegionDirectory} read-only and
 * answers commands from standard input, one line each:
 *
 * <ul>
 *   <li>{@code CHECK <id>}: reopen if changed ({@code DirectoryReader.openIfChanged}), then answer
 *       {@code STATE <changed> <numDocs> <hits of body:common> <hits of id:<id>>}
 *   <li>{@code QUIT}: close everything and exit 0
 * </ul>
 *
 * The first line it prints is {@code OPEN <numDocs>}. Any failure is printed to standard error and
 * exits 1.
 */
public final class ReadOnlySearcher {
  private ReadOnlySearcher() {}

  /** @param args the index folder */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (RegionDirectory dir = RegionDirectory.openReadOnly(Path.of(args[0]))) {
      DirectoryReader reader = DirectoryReader.open(dir);
      try {
        out.println("OPEN " + reader.numDocs());
        String line;
        while ((line = in.readLine()) != null && !line.equals("QUIT")) {
          String id = line.substring("CHECK ".length());
          DirectoryReader newer = DirectoryReader.openIfChanged(reader);
          if (newer != null) {
            reader.close();
            reader = newer;
          }
          IndexSearcher searcher = new IndexSearcher(reader);
          out.println(
              "STATE "
                  + (newer != null)
                  + " "
                  + reader.numDocs()
                  + " "
                  + searcher.count(new TermQuery(new Term("body", "common")))
                  + " "
                  + searcher.count(new TermQuery(new Term("id", id))));
        }
      } finally {
        reader.close();
      }
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
