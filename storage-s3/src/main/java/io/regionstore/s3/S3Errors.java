package io.regionstore.s3;

import io.regionstore.remote.RangeRequestException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's exceptions into ones a user can act on, each naming the operation and the
 * {@code s3://bucket/key}: 403 is {@link AccessDeniedException} saying which credentials were used
 * (never the secret); 404 is {@link NoSuchFileException} saying whether the bucket or the key is
 * missing; a wrong region names the right one when S3 says it; statuses and transport errors that
 * survived the retries are {@link RangeRequestException}s. Preconditions (412) are the callers'
 * business. Stateless.
 */
final class S3Errors {

  /** S3's answer to a request signed for another region names the expected one like this. */
  private static final Pattern EXPECTING = Pattern.compile("expecting '([a-z0-9-]+)'");

  private S3Errors() {}

  /**
   * The exception for {@code e}, thrown by {@code operation} (e.g. {@code "GetObject"}) on {@code
   * location}.
   *
   * @param tally how many attempts or requests it made, for the message (e.g. "4 attempts")
   */
  static IOException translate(SdkException e, String operation, S3Location location, S3Access access, String tally) {
    String what = operation + " " + location;
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      AwsErrorDetails details = s3.awsErrorDetails();
      String code = details == null || details.errorCode() == null ? "" : details.errorCode();
      String rightRegion = rightRegion(s3);
      if (rightRegion != null && !rightRegion.equals(access.region)) {
        return new IOException(
            what + ": bucket \"" + location.bucket() + "\" is in region " + rightRegion + ", not " + access.region
                + ": set the region to " + rightRegion + " (S3Options.region, or ?region=" + rightRegion + " in the URI)", e);
      }
      if (status == 403) {
        AccessDeniedException denied =
            new AccessDeniedException(
                location.toString(),
                null,
                operation + " was denied (" + (code.isEmpty() ? "403" : code) + ") with " + access.credentialsSource()
                    + ": check that these credentials may " + verb(operation) + " this object");
        denied.initCause(e);
        return denied;
      }
      if (status == 404) {
        return notFound(access, location, operation, code, s3);
      }
      String message = details == null || details.errorMessage() == null ? "" : ": " + details.errorMessage();
      return new RangeRequestException(
          what + ": status " + status + (code.isEmpty() ? "" : " " + code) + message + " (request id "
              + s3.requestId() + "; " + tally + ")",
          status,
          count(tally),
          e);
    }
    if (e instanceof SdkClientException && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("credentials")) {
      return new IOException(
          what + ": no AWS credentials could be loaded (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile,"
              + " or credentials in code with S3Options.credentials): " + e.getMessage(), e);
    }
    return new RangeRequestException(what + ": " + e.getMessage() + " (" + tally + ")", -1, count(tally), e);
  }

  /** The number at the start of a tally. */
  private static int count(String tally) {
    return Integer.parseInt(tally.substring(0, tally.indexOf(' ')));
  }

  /** The region S3 says the bucket is in (a header of the answer, or its error message), or null. */
  private static String rightRegion(S3Exception e) {
    AwsErrorDetails details = e.awsErrorDetails();
    if (details != null && details.sdkHttpResponse() != null) {
      String header = details.sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
      if (header != null && (e.statusCode() == 301 || e.statusCode() == 400 || e.statusCode() == 403)) {
        return header;
      }
    }
    Matcher m = EXPECTING.matcher(String.valueOf(e.getMessage()));
    return m.find() ? m.group(1) : null;
  }

  private static IOException notFound(S3Access access, S3Location location, String operation, String code, S3Exception e) {
    boolean noBucket;
    if (operation.startsWith("Head") || !code.equals("NoSuchBucket") && !code.equals("NoSuchKey")) {
      // A HEAD answer has no body, so S3 sends no error code (the SDK makes one up from the
      // status): one more request tells which is missing.
      noBucket = !bucketExists(access, location.bucket());
    } else {
      noBucket = code.equals("NoSuchBucket");
    }
    NoSuchFileException missing =
        new NoSuchFileException(
            location.toString(),
            null,
            operation + ": " + (noBucket
                ? "no bucket \"" + location.bucket() + "\" (region " + access.region + ")"
                : "no key \"" + location.key() + "\" in bucket \"" + location.bucket() + "\""));
    missing.initCause(e);
    return missing;
  }

  private static boolean bucketExists(S3Access access, String bucket) {
    try {
      access.client.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (S3Exception e) {
      return e.statusCode() != 404;
    } catch (SdkException e) {
      return true; // unknown: say the key is missing, which the 404 proved at least
    }
  }

  private static String verb(String operation) {
    return operation.startsWith("Get") || operation.startsWith("Head") ? "read" : "write";
  }
}
