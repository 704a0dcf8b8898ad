package io.regionstore.s3;

import io.regionstore.testserver.S3MockProcess;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server of this module's tests (one S3Mock per JVM, {@link S3MockProcess#shared()}),
 * options pointing at it (or at a fault proxy in front of it), and a plain SDK client to set up
 * buckets and objects behind the code under test's back.
 */
final class S3TestSupport {
  static final String REGION = "us-east-1";
  static final StaticCredentialsProvider KEYS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTKEY0000WXYZ", "test-secret-never-printed"));
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private S3TestSupport() {}

  static S3MockProcess server() throws IOException {
    return S3MockProcess.shared();
  }

  /** Options for {@code endpoint} (the server, or a proxy in front of it): path style, test keys, fast retries. */
  static S3Options.Builder options(URI endpoint) {
    return S3Options.builder()
        .endpoint(endpoint)
        .pathStyle(true)
        .region(REGION)
        .credentials(KEYS)
        .initialBackoff(java.time.Duration.ofMillis(10))
        .maxBackoff(java.time.Duration.ofMillis(50));
  }

  /** A client for setting up the server's buckets and objects directly. */
  static S3Client admin() throws IOException {
    S3Options o = options(server().endpoint()).build();
    return S3Client.builder()
        .endpointOverride(o.endpoint())
        .forcePathStyle(true)
        .region(software.amazon.awssdk.regions.Region.of(REGION))
        .credentialsProvider(KEYS)
        .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .build();
  }

  /** Creates a new bucket whose name starts with {@code prefix}. */
  static String bucket(S3Client admin, String prefix) {
    String name = prefix + "-" + BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    admin.createBucket(b -> b.bucket(name));
    return name;
  }

  /** Puts {@code bytes} at {@code bucket/key} directly; returns the ETag. */
  static String put(S3Client admin, String bucket, String key, byte[] bytes) {
    return admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)).eTag();
  }
}
