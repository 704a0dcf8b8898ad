package io.regionstore.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens {@link RangeSource}s for the URIs of some schemes: the service interface {@link
 * RangeSources} finds implementations of with {@link java.util.ServiceLoader}, so a module on the
 * class path (e.g. {@code storage-s3} for {@code s3://}) adds a scheme without the core modules
 * depending on it. {@code http}, {@code https} and {@code file} are built in.
 *
 * <p>An implementation is registered in {@code META-INF/services/io.regionstore.remote.RangeSourceProvider},
 * is a public class with a public no-argument constructor, and is thread-safe: one instance serves
 * every URI of its schemes.
 */
public interface RangeSourceProvider {

  /** The URI schemes this provider opens, lower case (e.g. {@code "s3"}). */
  Set<String> schemes();

  /**
   * An opener of the file at {@code uri} as it is at each call: what a {@link RemoteStore} opens
   * now and again to look for a new version. Makes no request itself.
   *
   * @throws IllegalArgumentException if {@code uri} is not a valid URI of this provider's schemes,
   *     naming it (without any secret it holds)
   */
  RangeSourceOpener opener(URI uri);

  /**
   * Uploads the packed file {@code pack} to {@code target} so that readers of {@code target} see
   * the previous file or the new one whole, never a part; applies {@code condition} atomically
   * with the replacement where the store supports it.
   *
   * @return the version of the published file, as {@link RangeSource#version()} of a source then
   *     opened on {@code target} reports it
   * @throws PublishConflictException if {@code condition} does not hold
   * @throws UnsupportedOperationException if this provider cannot publish (the default)
   * @throws IOException if the upload fails; the file at {@code target} is then unchanged
   */
  default String publish(Path pack, URI target, PublishCondition condition) throws IOException {
    throw new UnsupportedOperationException(
        "publishing to " + target.getScheme() + ":// URIs is not supported (" + getClass().getName() + ")");
  }
}
