package io.regionstore.opensearch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.IOUtils;

/**
 * Keeps plain-file copies of a shard's last commit point ({@code segments_N}, the {@code .si} file
 * of each of its segments, and OpenSearch's {@code corrupted_*} markers) next to the store, in the
 * shard's index folder.
 *
 * <p>Why: before OpenSearch allocates a primary from the copies on disk (after a full cluster
 * restart, or when a node that held the primary rejoins), each node checks its copy with {@code
 * Store.tryOpenIndex}, which opens the index folder with a plain {@code NIOFSDirectory} and reads
 * the latest commit. It does not go through the store plugin, so without these files every
 * regionstore copy would look invalid and the shard would stay unassigned ("no valid shard copy").
 * The mirror lets that check read the commit; the shard itself then opens its {@code
 * RegionDirectory}, where the data lives.
 *
 * <p>Updated after every {@link #syncMetaData()} (the end of a Lucene commit and of a peer
 * recovery) and when the directory opens: new files are written to a temporary name, fsynced and
 * renamed, then the folder is fsynced, and only then are the previous commit's files deleted, so a
 * crash leaves the previous or the new commit point readable. The mirror is never read by the
 * store.
 *
 * <p>Thread-safe: updates are serialized.
 */
final class CommitPointMirror extends FilterDirectory {
  /** Suffix of a mirror file being written. */
  static final String TMP = ".mirror-tmp";

  private final Path folder;

  CommitPointMirror(Directory in, Path folder) {
    super(in);
    this.folder = folder;
  }

  @Override
  public void syncMetaData() throws IOException {
    super.syncMetaData();
    update();
  }

  /** Brings the folder's mirror in line with the store's latest commit (none: no mirror). */
  synchronized void update() throws IOException {
    String[] names = in.listAll();
    Set<String> keep = new HashSet<>();
    long generation = SegmentInfos.getLastCommitGeneration(names);
    if (generation >= 0) {
      String segmentsFile =
          IndexFileNames.fileNameFromGeneration(IndexFileNames.SEGMENTS, "", generation);
      keep.add(segmentsFile);
      for (String file : SegmentInfos.readCommit(in, segmentsFile).files(false)) {
        if (file.endsWith(".si")) {
          keep.add(file);
        }
      }
    }
    for (String name : names) {
      if (name.startsWith("corrupted_")) {
        keep.add(name);
      }
    }
    boolean wrote = false;
    for (String name : keep) {
      Path target = folder.resolve(name);
      if (!Files.exists(target) || Files.size(target) != in.fileLength(name)) {
        copy(name, target);
        wrote = true;
      }
    }
    if (wrote) {
      IOUtils.fsync(folder, true);
    }
    for (Path stale : staleFiles(keep)) {
      Files.deleteIfExists(stale);
    }
  }

  /** Mirror files in the folder that are not in {@code keep} (and leftover temporary files). */
  private Set<Path> staleFiles(Set<String> keep) throws IOException {
    Set<Path> stale = new HashSet<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.forEach(
          p -> {
            String n = p.getFileName().toString();
            boolean mirrorName =
                n.startsWith(IndexFileNames.SEGMENTS + "_")
                    || n.endsWith(".si")
                    || n.startsWith("corrupted_")
                    || n.endsWith(TMP);
            if (mirrorName && !keep.contains(n)) {
              stale.add(p);
            }
          });
    }
    return stale;
  }

  /**
   * Copies the store's file {@code name} to {@code target} through a temporary file, fsynced
   * before the rename (a failure leaves only the temporary file, removed by the next update).
   */
  private void copy(String name, Path target) throws IOException {
    Path tmp = folder.resolve(name + TMP);
    try (IndexInput input = in.openInput(name, IOContext.READONCE);
        FileChannel out =
            FileChannel.open(
                tmp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[8192];
      long remaining = input.length();
      while (remaining > 0) {
        int n = (int) Math.min(buffer.length, remaining);
        input.readBytes(buffer, 0, n);
        ByteBuffer src = ByteBuffer.wrap(buffer, 0, n);
        while (src.hasRemaining()) {
          out.write(src);
        }
        remaining -= n;
      }
      out.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
