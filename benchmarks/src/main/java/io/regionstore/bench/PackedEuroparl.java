package io.regionstore.bench;

import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;

/**
 * The whole Europarl corpus indexed into a {@link RegionDirectory} as {@link SearchBenchmark} does
 * (about 18 segments of 1,000 documents), then packed into one file for remote reading.
 */
final class PackedEuroparl {
  /** The packed file's name inside the folder given to {@link #build}. */
  static final String FILE = "europarl.pack";

  private PackedEuroparl() {}

  /** Builds the index in {@code folder/index} and packs it into {@code folder/}{@value #FILE}. */
  static void build(Path folder) throws IOException {
    Corpus corpus = Corpus.load();
    Path index = folder.resolve("index");
    try (RegionDirectory dir = new RegionDirectory(index)) {
      IndexWriterConfig config =
          new IndexWriterConfig(new StandardAnalyzer())
              .setMergePolicy(NoMergePolicy.INSTANCE)
              .setMaxBufferedDocs(1000);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int i = 0; i < corpus.size(); i++) {
          writer.addDocument(corpus.doc(i));
        }
      }
      dir.pack(folder.resolve(FILE));
    }
  }
}
