package io.regionstore.s3;

import io.regionstore.remote.PublishCondition;
import io.regionstore.remote.RangeSourceOpener;
import io.regionstore.remote.RangeSourceProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/**
 * The {@link RangeSourceProvider} of {@code s3://bucket/key} URIs, registered for {@link
 * java.util.ServiceLoader}: with this module on the class path, {@code RemoteStore.open(URI, ...)},
 * {@code RemoteRegionDirectory.open(URI, ...)} and the tools read and publish S3 objects.
 *
 * <p>Options ride in the URI's query, for tools and configuration strings; everything else comes
 * from the SDK's usual places (environment, profiles, instance metadata):
 *
 * <ul>
 *   <li>{@code region=eu-west-1}: the bucket's region;
 *   <li>{@code endpoint=http://127.0.0.1:9000}: an S3-compatible store (MinIO, Ceph, R2, ...);
 *   <li>{@code path-style=true}: address buckets as {@code endpoint/bucket/key};
 *   <li>{@code profile=name}: the credentials of that profile in {@code ~/.aws/credentials}.
 * </ul>
 *
 * No secret may be given in a URI: credentials come from the SDK's chain, a profile, or code
 * ({@link S3Options.Builder#credentials}). Thread-safe.
 */
public final class S3RangeSourceProvider implements RangeSourceProvider {

  /** For {@link java.util.ServiceLoader}. */
  public S3RangeSourceProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("s3");
  }

  /** @throws IllegalArgumentException if {@code uri} is not {@code s3://bucket/key} or has an unknown option */
  @Override
  public RangeSourceOpener opener(URI uri) {
    return S3RangeSource.opener(S3Location.of(uri), options(uri));
  }

  @Override
  public String publish(Path pack, URI target, PublishCondition condition) throws IOException {
    return S3Publisher.publish(pack, S3Location.of(target), options(target), condition);
  }

  /**
   * The options the query of {@code uri} sets, on top of {@link S3Options#defaults()}.
   *
   * @throws IllegalArgumentException naming an unknown option or a bad value
   */
  static S3Options options(URI uri) {
    S3Options.Builder b = S3Options.defaults().toBuilder();
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return b.build();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      switch (name) {
        case "region" -> b.region(value);
        case "endpoint" -> b.endpoint(URI.create(value));
        case "path-style" -> b.pathStyle(bool(name, value));
        case "profile" -> b.credentials(ProfileCredentialsProvider.builder().profileName(value).build());
        default ->
            throw new IllegalArgumentException(
                "unknown option \"" + name + "\" in s3 URI " + S3Location.of(uri) + " (known: region, endpoint, path-style, profile)");
      }
    }
    return b.build();
  }

  private static boolean bool(String name, String value) {
    return switch (value) {
      case "true", "" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("option " + name + " must be true or false: " + value);
    };
  }
}
