package io.regionstore.examples.cli;

import io.regionstore.examples.support.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/**
 * Copies files between two Lucene directories (a store and a plain folder, either way), streaming
 * through {@link IndexInput} and {@link IndexOutput} with a progress bar, then makes the copies
 * durable. Stateless.
 */
final class FileCopier {
  private static final int BUFFER = 1 << 16;

  private FileCopier() {}

  /**
   * Copies {@code names} from {@code from} to {@code to} under the same names, then {@code
   * to.sync(names)} and {@code to.syncMetaData()}.
   *
   * @param progress where the progress bar goes (standard error)
   * @return the bytes copied
   * @throws IOException naming the file whose copy failed
   */
  static long copy(Directory from, Directory to, List<String> names, PrintStream progress)
      throws IOException {
    long total = 0;
    for (String name : names) {
      total += from.fileLength(name);
    }
    ProgressBar bar = ProgressBar.ofBytes(progress, "copying", total);
    byte[] buffer = new byte[BUFFER];
    long done = 0;
    for (String name : names) {
      try (IndexInput in = from.openInput(name, IOContext.READONCE);
          IndexOutput out = to.createOutput(name, IOContext.DEFAULT)) {
        for (long left = in.length(); left > 0; ) {
          int n = (int) Math.min(buffer.length, left);
          in.readBytes(buffer, 0, n);
          out.writeBytes(buffer, 0, n);
          left -= n;
          done += n;
          bar.update(done);
        }
      } catch (IOException e) {
        bar.finish();
        throw new IOException("copying " + name + " failed: " + e.getMessage(), e);
      }
    }
    bar.finish();
    to.sync(names);
    to.syncMetaData();
    return total;
  }
}
