package io.regionstore.examples;

import java.io.IOException;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;

/** What the demos share about indexing the corpus. Stateless. */
final class DemoIndex {
  private DemoIndex() {}

  /**
   * A writer that starts a new index in {@code dir} (an index already there is replaced, so a demo
   * can run again on the same folder), analyzing with {@link StandardAnalyzer}.
   */
  static IndexWriter newWriter(Directory dir) throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig(new StandardAnalyzer())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(64);
    return new IndexWriter(dir, config);
  }

  /**
   * Adds the next documents of {@code corpus}, at most {@code count}.
   *
   * @return how many were added (fewer than {@code count} once the corpus ends)
   */
  static int add(IndexWriter writer, Corpus corpus, int count) throws IOException {
    int added = 0;
    for (Corpus.Doc doc; added < count && (doc = corpus.next()) != null; added++) {
      writer.addDocument(doc.toDocument());
    }
    return added;
  }
}
