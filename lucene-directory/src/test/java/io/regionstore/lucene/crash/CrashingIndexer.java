package io.regionstore.lucene.crash;

import io.regionstore.lucene.RegionDirectory;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.Term;

/**
 * The process that {@link KillNineTest} kills: opens the index in {@code args[0]}, recovers the
 * commit it finds, replays {@link CrashModel} (seed {@code args[1]}) to that commit, and goes on
 * committing the model's next commits until killed, printing {@code COMMITTED n} after each commit
 * returns.
 */
public final class CrashingIndexer {
  private CrashingIndexer() {}

  public static void main(String[] args) throws Exception {
    Path path = Path.of(args[0]);
    CrashModel model = new CrashModel(Long.parseLong(args[1]));
    try (RegionDirectory dir = new RegionDirectory(path)) {
      int last = 0;
      if (DirectoryReader.indexExists(dir)) {
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          last = Integer.parseInt(reader.getIndexCommit().getUserData().get("seq"));
        }
      }
      model.replay(last);
      CrashModel.corpusSize(); // load the corpus now, so the kill window after READY holds commits
      try (IndexWriter writer = new IndexWriter(dir, config())) {
        System.out.println("READY " + last);
        System.out.flush();
        for (int c = last + 1; ; c++) {
          commit(writer, model, c);
          System.out.println("COMMITTED " + c);
          System.out.flush();
        }
      }
    }
  }

  /** Applies the model's commit {@code c} to {@code writer} and commits it with sequence {@code c}. */
  static void commit(IndexWriter writer, CrashModel model, int c) throws java.io.IOException {
    for (CrashModel.Op op : model.commit(c)) {
      Term id = new Term("id", op.id());
      switch (op.kind()) {
        case ADD -> writer.addDocument(doc(op));
        case UPDATE -> writer.updateDocument(id, doc(op));
        case DELETE -> writer.deleteDocuments(id);
        case UPDATE_VERSION -> writer.updateNumericDocValue(id, "version", op.version());
      }
    }
    writer.setLiveCommitData(Map.of("seq", Integer.toString(c)).entrySet());
    writer.commit();
  }

  /** A writer configured to merge often. */
  static IndexWriterConfig config() {
    LogDocMergePolicy merges = new LogDocMergePolicy();
    merges.setMergeFactor(3);
    merges.setMinMergeDocs(10);
    return new IndexWriterConfig(new StandardAnalyzer()).setMaxBufferedDocs(25).setMergePolicy(merges);
  }

  static Document doc(CrashModel.Op op) {
    Document doc = new Document();
    doc.add(new StringField("id", op.id(), Field.Store.YES));
    doc.add(new StringField("bucket", CrashModel.bucket(op.id()), Field.Store.NO));
    doc.add(new StoredField("line", op.line()));
    doc.add(new TextField("body", CrashModel.body(op.line()), Field.Store.NO));
    doc.add(new NumericDocValuesField("version", op.version()));
    return doc;
  }
}
