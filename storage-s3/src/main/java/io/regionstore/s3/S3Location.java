package io.regionstore.s3;

import java.net.URI;
import java.util.Locale;

/**
 * An object in a bucket: what {@code s3://bucket/key} names. {@link #toString()} is that URI
 * without query, safe to print.
 *
 * @param bucket the bucket name (3 to 63 characters of lower-case letters, digits, dots and
 *     hyphens, as S3 requires)
 * @param key the object key (not empty; any characters, as S3 allows)
 */
public record S3Location(String bucket, String key) {

  /**
   * @throws IllegalArgumentException if the bucket name is not one S3 accepts or the key is empty
   */
  public S3Location {
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException(
          "not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens): \"" + bucket + "\"");
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("empty S3 key in bucket \"" + bucket + "\"");
    }
  }

  /**
   * The location {@code s3://bucket/key} names; the query, if any, is not part of it (see {@link
   * S3RangeSourceProvider} for what it may hold).
   *
   * @throws IllegalArgumentException if {@code uri} is not {@code s3://bucket/key}
   */
  public static S3Location of(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null ? "" : uri.getPath();
    if (!scheme.equals("s3") || uri.getAuthority() == null || path.length() < 2) {
      throw new IllegalArgumentException(
          "not an S3 URI of the form s3://bucket/key: " + uri.getScheme() + "://" + uri.getAuthority() + path);
    }
    return new S3Location(uri.getAuthority(), path.substring(1));
  }

  /** {@code s3://bucket/key}. */
  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
