package io.regionstore.s3;

import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One SDK client made from {@link S3Options}, shared by the sources of one opener and closed with
 * the last of them (reference counted). Counts the requests sent for each caller that tags its
 * requests with {@link #counting}: every attempt, retries included. Thread-safe.
 */
final class S3Access {

  /** Where a request's attempts are counted. */
  static final ExecutionAttribute<LongAdder> COUNTER = new ExecutionAttribute<>("regionstore.requests");

  final S3Client client;
  final S3Options options;
  final String region;
  private final AwsCredentialsProvider credentials;
  private int users;
  private boolean closed;

  private S3Access(S3Options options) {
    this.options = options;
    this.region = options.region() != null ? options.region() : defaultRegion();
    this.credentials = options.credentials();
    BackoffStrategy backoff = BackoffStrategy.exponentialDelayHalfJitter(options.initialBackoff(), options.maxBackoff());
    var builder =
        S3Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .forcePathStyle(options.pathStyle())
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(options.connectTimeout())
                    .socketTimeout(options.requestTimeout()))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(options.maxAttempts())
                                .backoffStrategy(backoff)
                                .throttlingBackoffStrategy(backoff)
                                // no token bucket: every read gets the retries the options promise
                                .circuitBreakerEnabled(false)
                                .build())
                        .addExecutionInterceptor(new Counter()));
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    this.client = builder.build();
  }

  /** A new client, with one user (the caller), closed when that user {@link #release releases} it. */
  static S3Access open(S3Options options) {
    S3Access a = new S3Access(options);
    a.users = 1;
    return a;
  }

  private static String defaultRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (RuntimeException e) {
      return S3Options.FALLBACK_REGION; // a wrong region is reported with the right one (S3Errors)
    }
  }

  /** Adds a user; false if the client is closed already. */
  synchronized boolean acquire() {
    if (closed) {
      return false;
    }
    users++;
    return true;
  }

  /** A user is done; the last one closes the client. */
  void release() {
    synchronized (this) {
      if (closed || --users > 0) {
        return;
      }
      closed = true;
    }
    client.close();
  }

  /**
   * Which credentials the client uses, for messages: the provider that supplied them and the
   * access key id shortened to its first and last 4 characters (never the secret), or why none
   * could be resolved.
   */
  String credentialsSource() {
    try {
      AwsCredentialsIdentity id = credentials.resolveIdentity().join();
      String provider =
          credentials.getClass().getSimpleName() + id.providerName().map(S3Access::sourceName).orElse("");
      String key = id.accessKeyId();
      String shown = key.length() <= 8 ? "****" : key.substring(0, 4) + "..." + key.substring(key.length() - 4);
      return "credentials from " + provider + " (access key id " + shown + ")";
    } catch (RuntimeException e) {
      return "no credentials (" + e.getMessage() + ")";
    }
  }

  /**
   * What the SDK's provider codes (its business-metric ids, e.g. {@code "g"} or {@code "p,n"}) say
   * about where credentials came from, as words.
   */
  private static String sourceName(String codes) {
    StringBuilder out = new StringBuilder();
    for (String code : codes.split(",")) {
      String name =
          switch (code.strip()) {
            case "e" -> "given in code";
            case "f" -> "Java system properties aws.accessKeyId and aws.secretAccessKey";
            case "g" -> "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
            case "h", "k", "q" -> "a web identity token";
            case "i", "j", "l", "m" -> "STS";
            case "n", "o", "p" -> "a profile of ~/.aws/config or ~/.aws/credentials";
            case "r", "s", "t", "u" -> "SSO";
            case "v", "w" -> "a credential process";
            case "z" -> "the container credentials endpoint";
            case "0" -> "instance metadata (IMDS)";
            default -> null;
          };
      if (name != null && out.indexOf(name) < 0) {
        out.append(out.isEmpty() ? ": " : ", ").append(name);
      }
    }
    return out.toString();
  }

  /** Counts each attempt of a request tagged with {@link #COUNTER}. */
  private static final class Counter implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      LongAdder counter = attributes.getAttribute(COUNTER);
      if (counter != null) {
        counter.increment();
      }
    }
  }
}
