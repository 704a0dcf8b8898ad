package io.regionstore.bench;

import io.regionstore.lucene.RegionDirectory;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;

/** The directories compared, each with its defaults, as a user would open them. */
public enum DirectoryKind {
  /** {@code new RegionDirectory(path)}. */
  REGION {
    @Override
    public Directory open(Path path) throws IOException {
      return new RegionDirectory(path);
    }
  },
  /** {@code new MMapDirectory(path)}: the baseline every ratio is taken against. */
  MMAP {
    @Override
    public Directory open(Path path) throws IOException {
      return new MMapDirectory(path);
    }
  },
  /** {@code new NIOFSDirectory(path)}. */
  NIOFS {
    @Override
    public Directory open(Path path) throws IOException {
      return new NIOFSDirectory(path);
    }
  };

  /** Opens (creating if needed) a directory of this kind on {@code path}. */
  public abstract Directory open(Path path) throws IOException;

  /** The kind named by a JMH parameter ("region", "mmap", "niofs"). */
  public static DirectoryKind of(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
