package io.regionstore.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What identifies one version of a local file: its size, modification time and file key (device
 * and inode on Unix; null where the platform has none). A file replaced by rename gets another key;
 * one rewritten in place another size or modification time.
 */
record FileVersion(long size, FileTime modified, Object key) {

  /** The version of the file {@code path} names now (symbolic links followed). */
  static FileVersion of(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return new FileVersion(a.size(), a.lastModifiedTime(), a.fileKey());
  }

  @Override
  public String toString() {
    return "size=" + size + ",mtime=" + modified + (key == null ? "" : ",key=" + key);
  }
}
