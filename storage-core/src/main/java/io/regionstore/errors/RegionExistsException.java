package io.regionstore.errors;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/** A region was created or renamed onto a name that is taken. */
public final class RegionExistsException extends FileAlreadyExistsException {
  /**
   * @param store the store folder
   * @param region the region name
   */
  public RegionExistsException(Path store, String region) {
    super(region, null, "region \"" + region + "\" already exists in store " + store);
  }
}
