package io.regionstore.lucene;

import java.io.IOException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * A directory that records every byte range read from the inputs it opens ({@link
 * RecordingIndexInput}); everything else goes to the wrapped directory. Closing it does not close
 * the wrapped directory. Thread-safe.
 */
final class RecordingDirectory extends FilterDirectory {
  private final ReadRecorder recorder = new ReadRecorder();

  RecordingDirectory(Directory in) {
    super(in);
  }

  ReadRecorder recorder() {
    return recorder;
  }

  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    return new RecordingIndexInput(name, in.openInput(name, context), 0, recorder);
  }

  @Override
  public void close() {
    // the wrapped directory belongs to the caller
  }
}
