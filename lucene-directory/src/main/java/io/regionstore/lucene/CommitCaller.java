package io.regionstore.lucene;

import java.util.Iterator;
import java.util.List;

/**
 * Tells whether a {@code syncMetaData()} call is the first of the two that a one-shot Lucene
 * commit makes, the one whose fdatasync {@link RegionDirectory} can leave out.
 *
 * <p>Lucene 10.5 commits in two steps. {@code SegmentInfos.prepareCommit} calls {@code
 * syncMetaData()} before it writes {@code pending_segments_N}, so that on a file system the new
 * segment files' names are durable before any segments file can refer to them; {@code
 * SegmentInfos.finishCommit} renames {@code pending_segments_N} to {@code segments_N} and calls
 * {@code syncMetaData()} again. On a store the second call writes one catalog generation holding
 * every file at once, and recovery accepts a generation only whole, so {@code segments_N} can never
 * be durable without the files it names: the first call adds nothing to the commit. It only
 * matters to a caller that stops between the two steps on purpose, which is what {@code
 * IndexWriter.prepareCommit()} (the first phase of a two-phase commit) does: its contract is that
 * the index files are synced when it returns, so that {@code commit()} has little left to fail.
 *
 * <p>So the first call is left out only when the stack shows a one-shot commit: {@code
 * SegmentInfos.prepareCommit} called from {@code SegmentInfos.commit}, or from {@code
 * IndexWriter.startCommit} under {@code prepareCommitInternal} under {@code commitInternal} (which
 * {@code IndexWriter.commit()} and {@code close()} use; an explicit {@code prepareCommit()} reaches
 * {@code prepareCommitInternal} from {@code prepareCommit} instead). Between our frame and {@code
 * SegmentInfos.prepareCommit} only {@code syncMetaData} frames may lie (wrapping directories, such
 * as the {@code LockValidatingDirectoryWrapper} every IndexWriter adds). Any other caller, or a
 * future Lucene whose commit looks different, gets the fdatasync: the check can only fail towards
 * syncing.
 *
 * <p>Stateless; thread-safe.
 */
final class CommitCaller {
  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final String SEGMENT_INFOS = "org.apache.lucene.index.SegmentInfos";
  private static final String INDEX_WRITER = "org.apache.lucene.index.IndexWriter";
  /** The frames of a one-shot IndexWriter commit above {@code SegmentInfos.prepareCommit}. */
  private static final List<String> WRITER_COMMIT =
      List.of("startCommit", "prepareCommitInternal", "commitInternal");

  private CommitCaller() {}

  /**
   * Whether the caller of the {@code syncMetaData()} that called this method is the first step of
   * a one-shot Lucene commit, whose second step will make everything durable.
   */
  static boolean isFirstStepOfOneShotCommit() {
    return WALKER.walk(
        frames -> {
          Iterator<StackWalker.StackFrame> it = frames.skip(2).iterator(); // this method, syncMetaData
          StackWalker.StackFrame frame = next(it);
          while (frame != null && frame.getMethodName().equals("syncMetaData")) {
            frame = next(it);
          }
          if (!is(frame, SEGMENT_INFOS, "prepareCommit")) {
            return false;
          }
          frame = next(it);
          if (is(frame, SEGMENT_INFOS, "commit")) {
            return true;
          }
          for (String method : WRITER_COMMIT) {
            if (!is(frame, INDEX_WRITER, method)) {
              return false;
            }
            frame = next(it);
          }
          return true;
        });
  }

  private static StackWalker.StackFrame next(Iterator<StackWalker.StackFrame> it) {
    return it.hasNext() ? it.next() : null;
  }

  private static boolean is(StackWalker.StackFrame frame, String className, String method) {
    return frame != null
        && frame.getClassName().equals(className)
        && frame.getMethodName().equals(method);
  }
}
