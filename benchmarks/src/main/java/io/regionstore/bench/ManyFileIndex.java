package io.regionstore.bench;

import java.io.IOException;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.Directory;

/**
 * An index of many files, as a large index with many segments has: segments of 10 documents, each
 * flushed on its own, no compound files and no merges. Used where the number of files is what is
 * measured (mappings, descriptors, reader open).
 */
final class ManyFileIndex {
  /** Documents per segment. */
  static final int SEGMENT_DOCS = 10;

  private ManyFileIndex() {}

  /** The writer configuration that keeps every file of every segment. */
  static IndexWriterConfig config() {
    return new IndexWriterConfig(new StandardAnalyzer())
        .setMergePolicy(NoMergePolicy.INSTANCE)
        .setUseCompoundFile(false)
        .setMaxBufferedDocs(1000);
  }

  /**
   * Adds flushed segments of documents {@code next}, {@code next + 1}, ... until {@code files}
   * lists at least {@code minFiles} files, then commits.
   *
   * @return the next document id
   */
  static int fill(IndexWriter writer, Directory files, Corpus corpus, int minFiles, int next)
      throws IOException {
    do {
      next = addSegment(writer, corpus, next);
    } while (files.listAll().length < minFiles);
    writer.commit();
    return next;
  }

  /** Adds and flushes one segment; returns the next document id. */
  static int addSegment(IndexWriter writer, Corpus corpus, int next) throws IOException {
    for (int i = 0; i < SEGMENT_DOCS; i++) {
      writer.addDocument(corpus.doc(next++));
    }
    writer.flush();
    return next;
  }
}
