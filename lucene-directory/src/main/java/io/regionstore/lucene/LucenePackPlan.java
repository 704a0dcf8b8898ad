package io.regionstore.lucene;

import io.regionstore.pack.PackOptions;
import java.io.IOException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;

/**
 * Works out the hot section for packing a Lucene index ({@link io.regionstore.RegionStore#pack}):
 * the bytes {@code DirectoryReader.open} reads, so that a remote reader opening the packed index
 * finds all of them in the front it fetched first, plus every small file whole (Lucene reads those
 * through and through, e.g. {@code segments_N}, {@code .si}, {@code .fnm}), and every small slice
 * the open takes whole: the inner files of a compound file ({@code .cfs}) are slices, and the small
 * ones among them are read by the first query of any kind (the terms index {@code .tip}, the norms
 * {@code .nvd}), so a remote reader finds them in the front rather than making a request per
 * segment for each, one after another.
 *
 * <p>It opens a {@link DirectoryReader} on the index through a wrapper that records each byte
 * range read from each file (clones and slices included), closes it, and merges the ranges. The
 * ranges are those of the codec and Lucene version in use; an index written by another codec
 * gets its own. Stateless and thread-safe; the directory must hold a commit and must not change
 * while the plan is recorded.
 */
public final class LucenePackPlan {
  /** Files, and slices taken at open, up to this length (16 KiB) go into the hot section whole. */
  public static final long SMALL_FILE_LENGTH = 16 * 1024;

  private LucenePackPlan() {}

  /**
   * The plan for the latest commit in {@code dir}, with files and slices up to {@link
   * #SMALL_FILE_LENGTH} whole.
   */
  public static PackOptions record(Directory dir) throws IOException {
    return record(dir, SMALL_FILE_LENGTH);
  }

  /**
   * The plan for the latest commit in {@code dir}.
   *
   * @param smallFileLength files, and slices taken while opening, up to this length are copied
   *     whole; 0 for none
   * @throws org.apache.lucene.index.IndexNotFoundException if {@code dir} holds no commit
   */
  public static PackOptions record(Directory dir, long smallFileLength) throws IOException {
    RecordingDirectory recording = new RecordingDirectory(dir);
    try (DirectoryReader reader = DirectoryReader.open(recording)) {
      reader.maxDoc(); // opened: every segment's readers are initialised
    }
    PackOptions.Builder plan = PackOptions.builder();
    for (ReadRecorder.Range r : recording.recorder().ranges()) {
      plan.hotRange(r.file(), r.offset(), r.length());
    }
    for (ReadRecorder.Range s : recording.recorder().slices()) {
      if (s.length() > 0 && s.length() <= smallFileLength) {
        plan.hotRange(s.file(), s.offset(), s.length());
      }
    }
    for (String file : dir.listAll()) {
      if (dir.fileLength(file) <= smallFileLength) {
        plan.hotRegion(file);
      }
    }
    return plan.build();
  }
}
