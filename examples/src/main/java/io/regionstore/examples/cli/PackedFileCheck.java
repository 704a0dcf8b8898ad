package io.regionstore.examples.cli;

import io.regionstore.RegionReader;
import io.regionstore.RegionStore;
import io.regionstore.examples.support.Sizes;
import io.regionstore.pack.HotRange;
import io.regionstore.pack.PackFormat;
import io.regionstore.pack.PackedFileReader;
import io.regionstore.pack.PackedFront;
import io.regionstore.pack.PackedRegion;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What {@code verify} adds for a packed file: every file's bytes against the SHA-256 and CRC32C
 * its catalog records, and every hot copy against the file's bytes it copies. Stateless.
 */
final class PackedFileCheck {
  private PackedFileCheck() {}

  /** Checks {@code file}, printing a summary line, and adds each problem to {@code problems}. */
  static void check(Path file, RegionStore store, PrintStream out, List<String> problems) throws IOException {
    PackedFront front = PackedFileReader.read(file);
    int before = problems.size();
    byte[] buffer = new byte[1 << 20];
    for (PackedRegion r : front.regions()) {
      MessageDigest sha = PackFormat.sha256();
      CRC32C crc = new CRC32C();
      try (RegionReader reader = store.openReader(r.name())) {
        for (long at = 0; at < r.length(); ) {
          int n = (int) Math.min(buffer.length, r.length() - at);
          reader.read(at, buffer, 0, n);
          sha.update(buffer, 0, n);
          crc.update(buffer, 0, n);
          at += n;
        }
      }
      if (!Arrays.equals(sha.digest(), r.sha256()) || (int) crc.getValue() != r.crc32c()) {
        problem(out, problems, r.name(), "bytes do not match the SHA-256 and CRC32C in the catalog");
      }
    }
    ByteBuffer bytes = front.front();
    for (HotRange h : front.hotRanges()) {
      byte[] copy = new byte[(int) h.length()];
      bytes.get((int) h.frontOffset(), copy);
      byte[] region = new byte[copy.length];
      try (RegionReader reader = store.openReader(h.region())) {
        reader.read(h.regionOffset(), region, 0, region.length);
      }
      if (!Arrays.equals(copy, region)) {
        problem(out, problems, h.region(), "hot copy of [" + h.regionOffset() + ", +" + h.length()
            + ") at front offset " + h.frontOffset() + " differs from the file's bytes");
      }
    }
    if (problems.size() == before) {
      out.println("packed file: " + Sizes.count(front.regions().size()) + " files match their SHA-256 and CRC32C; "
          + Sizes.count(front.hotRanges().size()) + " hot copies match; front " + Sizes.exact(front.frontLength())
          + (front.frontLength() <= PackFormat.FIRST_WINDOW ? " fits" : " exceeds") + " the "
          + Sizes.human(PackFormat.FIRST_WINDOW) + " first window");
    }
  }

  private static void problem(PrintStream out, List<String> problems, String name, String problem) {
    out.println("  FAILED   " + name + ": " + problem);
    problems.add(name + ": " + problem);
  }
}
