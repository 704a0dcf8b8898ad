package io.regionstore;

import io.regionstore.alloc.SpaceAllocator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks that the owners of data-file space tile the file exactly: every byte after the header and
 * meta pages belongs to exactly one live region, writer, deleted-but-open region, the durable
 * catalog body, a free extent or a pending extent. A gap is leaked space; an overlap is space owned twice.
 */
final class SpaceCheck {
  private final long fileSize;
  private final List<Owned> owned = new ArrayList<>();

  SpaceCheck(long fileSize) {
    this.fileSize = fileSize;
  }

  void check(
      Collection<Region> regions,
      Collection<RegionWriter> writers,
      Collection<Region> unlinkedOpen,
      long[] catalogBody,
      SpaceAllocator space,
      long dataStart) {
    owned.add(new Owned(0, dataStart, "header and meta pages"));
    add(catalogBody, "catalog body");
    for (Region r : regions) {
      add(r.extents, "region");
    }
    for (RegionWriter w : writers) {
      add(w.reservedExtents(), "writer of \"" + w.name() + "\"");
    }
    for (Region r : unlinkedOpen) {
      add(r.extents, "deleted region still open");
    }
    for (long[] e : space.unusedExtents()) {
      owned.add(new Owned(e[0], e[1], "free or pending"));
    }
    owned.sort((a, b) -> Long.compare(a.offset, b.offset));
    long cursor = 0;
    Owned previous = null;
    for (Owned o : owned) {
      if (o.offset < cursor) {
        throw new IllegalStateException(
            "space owned twice: " + o + " overlaps " + previous);
      }
      if (o.offset > cursor) {
        throw new IllegalStateException(
            "leaked space: [" + cursor + ", " + o.offset + ") belongs to nothing");
      }
      cursor = o.offset + o.length;
      previous = o;
    }
    if (cursor != fileSize) {
      throw new IllegalStateException(
          "space accounting ends at " + cursor + " but the data file is " + fileSize + " bytes");
    }
  }

  private void add(long[] extents, String owner) {
    for (int i = 0; i < extents.length; i += 2) {
      owned.add(new Owned(extents[i], extents[i + 1], owner));
    }
  }

  private record Owned(long offset, long length, String owner) {
    @Override
    public String toString() {
      return owner + " [" + offset + ", " + (offset + length) + ")";
    }
  }
}
