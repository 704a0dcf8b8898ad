package io.regionstore.errors;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A region that does not exist (or no longer exists) was named. */
public final class NoSuchRegionException extends NoSuchFileException {
  /**
   * @param store the store folder
   * @param region the region name
   */
  public NoSuchRegionException(Path store, String region) {
    super(region, null, "no region \"" + region + "\" in store " + store);
  }

  /**
   * @param source the store's source, safe to print (a packed file's path, or a URL without its
   *     query string)
   * @param region the region name
   */
  public NoSuchRegionException(String source, String region) {
    super(region, null, "no region \"" + region + "\" in store " + source);
  }
}
