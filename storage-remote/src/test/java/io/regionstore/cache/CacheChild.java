package io.regionstore.cache;

import java.io.IOException;
import java.nio.file.Path;

/** A second process for {@link FileSpaceTest}: tries to open a cache on the folder it is given. */
public final class CacheChild {
  private CacheChild() {}

  public static void main(String[] args) throws IOException {
    CacheOptions options = CacheOptions.builder().blockSize(4096).initialCapacity(4096).maxCapacity(4096).build();
    try (SlotCache cache = SlotCache.open(Path.of(args[0]), options)) {
      System.out.println("OPENED");
    } catch (IOException e) {
      System.out.println("REFUSED " + e.getMessage());
    }
  }
}
