package io.regionstore.s3;

import io.regionstore.pack.PackedFileReader;
import io.regionstore.remote.PublishCondition;
import io.regionstore.remote.PublishConflictException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads a packed file to S3 so that readers see the previous object or the new one whole, never
 * a part: S3 makes an object visible only when its PUT, or the completion of its multipart
 * upload, succeeds. A reader that opened the previous version keeps reading it (its reads send
 * that version's ETag as {@code If-Match}) until it looks again; a {@link
 * io.regionstore.remote.RemoteStore#refresh()} (Lucene's {@code openIfChanged} on a {@code
 * RemoteRegionDirectory}) then finds the new one.
 *
 * <p><b>Requests.</b> A pack up to {@link S3Options#partSize()} is one {@code PutObject}; a larger
 * one is a multipart upload: {@code CreateMultipartUpload}, one {@code UploadPart} per part, then
 * {@code CompleteMultipartUpload} ({@link S3Options#partSize()} says why 16 MiB). A failed upload
 * is aborted ({@code AbortMultipartUpload}) so no parts are left to be billed, and the object at
 * the target is unchanged.
 *
 * <p><b>Conditions.</b> {@link PublishCondition#absent()} sends {@code If-None-Match: *} and
 * {@link PublishCondition#version} sends {@code If-Match} with the expected ETag, on the PUT or on
 * the completion, where S3 checks them atomically with the replacement; a failed condition is
 * {@link PublishConflictException} (nothing replaced).
 *
 * <p>The file is checked to be a packed store (its front parsed) before anything is sent. Errors
 * as {@link S3RangeSource}. Stateless; each publish uses a client of its own.
 */
public final class S3Publisher {

  private S3Publisher() {}

  /**
   * Publishes {@code pack} at {@code target}.
   *
   * @return the new object's version, as {@link S3RangeSource#version()} of a source opened on it
   *     reports it (and as {@link PublishCondition#version} accepts it for the next publish)
   * @throws io.regionstore.errors.CorruptStoreException if {@code pack} is not a packed store
   * @throws PublishConflictException if {@code condition} does not hold
   * @throws IOException if the upload fails (the target is then unchanged)
   */
  public static String publish(Path pack, S3Location target, S3Options options, PublishCondition condition)
      throws IOException {
    PackedFileReader.read(pack); // refuses a file that is not a pack, naming it, before any request
    S3Access access = S3Access.open(options);
    try (FileChannel file = FileChannel.open(pack, StandardOpenOption.READ)) {
      long length = file.size();
      PartPlan plan = PartPlan.of(length, options.partSize());
      LongAdder requests = new LongAdder();
      try {
        return plan.multipart()
            ? multipart(access, file, length, plan, target, condition, requests)
            : single(access, pack, target, condition, requests);
      } catch (S3Exception e) {
        if (conflict(e, condition)) {
          PublishConflictException conflict = new PublishConflictException(target.toString(), condition, errorCode(e));
          conflict.initCause(e);
          throw conflict;
        }
        throw S3Errors.translate(e, operation(plan), target, access, requests(requests));
      } catch (SdkException e) {
        throw S3Errors.translate(e, operation(plan), target, access, requests(requests));
      }
    } finally {
      access.release();
    }
  }

  private static String single(S3Access access, Path pack, S3Location target, PublishCondition condition, LongAdder requests) {
    PutObjectResponse r =
        access.client.putObject(
            b -> b.bucket(target.bucket())
                .key(target.key())
                .contentType("application/octet-stream")
                .ifMatch(ifMatch(condition))
                .ifNoneMatch(condition.requiresAbsent() ? "*" : null)
                .overrideConfiguration(o -> o.putExecutionAttribute(S3Access.COUNTER, requests)),
            RequestBody.fromFile(pack));
    return S3Version.of(r.eTag(), r.versionId()).toString();
  }

  private static String multipart(
      S3Access access, FileChannel file, long length, PartPlan plan, S3Location target, PublishCondition condition, LongAdder requests)
      throws IOException {
    String uploadId =
        access.client
            .createMultipartUpload(
                b -> b.bucket(target.bucket())
                    .key(target.key())
                    .contentType("application/octet-stream")
                    .overrideConfiguration(o -> o.putExecutionAttribute(S3Access.COUNTER, requests)))
            .uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>(plan.parts());
      for (int n = 1; n <= plan.parts(); n++) {
        long offset = plan.offset(n);
        long size = plan.length(n, length);
        int number = n;
        UploadPartResponse r =
            access.client.uploadPart(
                b -> b.bucket(target.bucket())
                    .key(target.key())
                    .uploadId(uploadId)
                    .partNumber(number)
                    .contentLength(size)
                    .overrideConfiguration(o -> o.putExecutionAttribute(S3Access.COUNTER, requests)),
                // read from the file for each attempt: a retried part is sent again from its start
                RequestBody.fromContentProvider(() -> new FileSlice(file, offset, size), size, "application/octet-stream"));
        parts.add(CompletedPart.builder().partNumber(n).eTag(r.eTag()).build());
      }
      CompleteMultipartUploadResponse done =
          access.client.completeMultipartUpload(
              b -> b.bucket(target.bucket())
                  .key(target.key())
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts))
                  .ifMatch(ifMatch(condition))
                  .ifNoneMatch(condition.requiresAbsent() ? "*" : null)
                  .overrideConfiguration(o -> o.putExecutionAttribute(S3Access.COUNTER, requests)));
      return S3Version.of(done.eTag(), done.versionId()).toString();
    } catch (RuntimeException e) {
      abort(access, target, uploadId, e);
      throw e;
    }
  }

  /** Aborts the upload so its parts are deleted (and no longer billed); failures are suppressed into {@code cause}. */
  private static void abort(S3Access access, S3Location target, String uploadId, RuntimeException cause) {
    try {
      access.client.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Whether S3 refused the write because of the condition: 412, or 409 ConditionalRequestConflict
   * (a concurrent conditional write won). Some S3-compatible stores (S3Mock) answer a failed
   * condition on a write with 304, as they would a conditional read; S3 itself never answers 304
   * to a write, so with a condition sent it means the same.
   */
  private static boolean conflict(S3Exception e, PublishCondition condition) {
    boolean conditional = condition.requiresAbsent() || condition.expectedVersion() != null;
    return e.statusCode() == 412
        || e.statusCode() == 409 && "ConditionalRequestConflict".equals(errorCode(e))
        || e.statusCode() == 304 && conditional;
  }

  private static String operation(PartPlan plan) {
    return plan.multipart() ? "multipart upload" : "PutObject";
  }

  private static String requests(LongAdder requests) {
    long n = requests.sum();
    return n + (n == 1 ? " request" : " requests");
  }

  private static String ifMatch(PublishCondition condition) {
    return condition.expectedVersion() == null ? null : S3Version.parse(condition.expectedVersion()).etag();
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
