package io.regionstore.s3;

import io.regionstore.remote.BodyCopy;
import io.regionstore.remote.RangeProtocolException;
import io.regionstore.remote.RangeSource;
import io.regionstore.remote.RangeSourceOpener;
import io.regionstore.remote.SourceChangedException;
import io.regionstore.remote.Targets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A {@link RangeSource} on an object in S3 or an S3-compatible store, through the AWS SDK for Java
 * v2 (its URL-connection transport).
 *
 * <p><b>Open.</b> One {@code HeadObject}: the length and the version. <b>Version</b>: the ETag,
 * and in a versioned bucket the version id too ({@link #version()} prints {@code "etag"} or
 * {@code "etag" versionId}). Every read is one ranged {@code GetObject} sending the ETag as {@code
 * If-Match} (and the version id, so a versioned bucket keeps serving this version after it is
 * overwritten); S3 answers 412 once the object was replaced, and the read fails with {@link
 * SourceChangedException}, never returning a byte of another version.
 *
 * <p><b>Checks.</b> Every answer's Content-Range must be exactly the asked bytes of the length seen
 * at open, its Content-Length the asked size, its ETag the one seen at open, and its body exactly
 * that long; otherwise {@link RangeProtocolException} (or {@link SourceChangedException} for
 * another ETag). The body is copied straight into the targets through one small buffer ({@link
 * BodyCopy}): never buffered whole.
 *
 * <p><b>Failures.</b> Retries, timeouts and the bound on requests in flight are those of {@link
 * S3Options}; a body cut short or reset is retried like a failed request. What still fails is
 * translated so a user can act on it: {@link java.nio.file.AccessDeniedException} naming the
 * credentials' source, {@link java.nio.file.NoSuchFileException} naming the missing bucket or key,
 * the right region when S3 names it, and {@link io.regionstore.remote.RangeRequestException}
 * otherwise. Messages name {@code s3://bucket/key} and never a secret.
 *
 * <p>Thread-safe. {@link #close()} releases the SDK client (shared with the other sources of one
 * {@link #opener}, closed with the last of them).
 */
public final class S3RangeSource implements RangeSource {

  private final S3Access access;
  private final S3Location location;
  private final long length;
  private final S3Version version;
  private final Semaphore slots;
  private final LongAdder requests = new LongAdder();
  private volatile boolean closed;

  private S3RangeSource(S3Access access, S3Location location, long length, S3Version version, LongAdder openRequests) {
    this.access = access;
    this.location = location;
    this.length = length;
    this.version = version;
    this.slots = new Semaphore(access.options.maxInFlight(), true);
    this.requests.add(openRequests.sum());
  }

  /**
   * Opens the object at {@code location} with one {@code HeadObject}, with a client of its own
   * (closed with the source).
   *
   * @throws java.nio.file.NoSuchFileException if the bucket or the key does not exist
   * @throws java.nio.file.AccessDeniedException if the credentials may not read it
   * @throws IOException if S3 cannot be reached or answers otherwise (after retries)
   */
  public static S3RangeSource open(S3Location location, S3Options options) throws IOException {
    return open(S3Access.open(options), location);
  }

  /**
   * An opener of the object at {@code location} as it is at each call (what a {@link
   * io.regionstore.remote.RemoteStore} calls to look for a new version). Its sources share one SDK
   * client, made when the first is opened and closed with the last.
   */
  public static RangeSourceOpener opener(S3Location location, S3Options options) {
    return new RangeSourceOpener() {
      private S3Access shared;

      @Override
      public RangeSource open() throws IOException {
        S3Access access;
        synchronized (this) {
          if (shared == null || !shared.acquire()) {
            shared = S3Access.open(options);
          }
          access = shared;
        }
        return S3RangeSource.open(access, location);
      }
    };
  }

  /** Opens with one user of {@code access} already counted for this source; releases it on failure. */
  private static S3RangeSource open(S3Access access, S3Location location) throws IOException {
    LongAdder counted = new LongAdder();
    try {
      HeadObjectResponse head =
          access.client.headObject(
              b -> b.bucket(location.bucket()).key(location.key()).overrideConfiguration(o -> o.putExecutionAttribute(S3Access.COUNTER, counted)));
      long length = head.contentLength();
      S3Version version = S3Version.of(head.eTag(), head.versionId());
      return new S3RangeSource(access, location, length, version, counted);
    } catch (SdkException e) {
      IOException translated = S3Errors.translate(e, "HeadObject", location, access, attempts(counted));
      access.release();
      throw translated;
    } catch (RuntimeException e) {
      access.release();
      throw e;
    }
  }

  @Override
  public String description() {
    return location.toString();
  }

  @Override
  public long length() {
    return length;
  }

  /** {@code "etag"}, or {@code "etag" versionId} in a versioned bucket. */
  @Override
  public String version() {
    return version.toString();
  }

  /** The object this source reads. */
  public S3Location location() {
    return location;
  }

  @Override
  public void read(long position, List<MemorySegment> targets) throws IOException {
    long total = Targets.checkedLength(description(), length, position, targets);
    if (total == 0) {
      return;
    }
    ensureOpen();
    long last = position + total - 1;
    String what = "GetObject " + location + " bytes " + position + "-" + last;
    LongAdder attempts = new LongAdder();
    GetObjectRequest request =
        GetObjectRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .range("bytes=" + position + "-" + last)
            .ifMatch(version.etag())
            .versionId(version.versionId())
            .overrideConfiguration(o -> o.putExecutionAttribute(S3Access.COUNTER, attempts))
            .build();
    IOException[] refused = new IOException[1];
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted");
    }
    try {
      ResponseTransformer<GetObjectResponse, Void> copy =
          (response, body) -> {
            try {
              check(response, position, last, what);
            } catch (IOException e) {
              refused[0] = e; // the answer is wrong, not the transfer: not worth another attempt
              throw NonRetryableException.create(e.getMessage(), e);
            }
            try {
              BodyCopy.copy(body, targets, total, what);
            } catch (RangeProtocolException e) {
              refused[0] = e;
              throw NonRetryableException.create(e.getMessage(), e);
            } catch (IOException e) {
              throw RetryableException.create(what + ": " + e.getMessage(), e); // cut, reset or stalled body
            }
            return null;
          };
      access.client.getObject(request, copy);
    } catch (SdkException e) {
      if (refused[0] != null) {
        throw refused[0];
      }
      if (e instanceof S3Exception s3 && s3.statusCode() == 412) {
        SourceChangedException changed = new SourceChangedException(description(), version(), null);
        changed.initCause(e);
        throw changed;
      }
      ensureOpen();
      throw S3Errors.translate(e, "GetObject", location, access, attempts(attempts));
    } finally {
      slots.release();
      requests.add(attempts.sum());
    }
  }

  private static String attempts(LongAdder counted) {
    long n = counted.sum();
    return n + (n == 1 ? " attempt" : " attempts");
  }

  private void check(GetObjectResponse response, long first, long last, String what) throws IOException {
    if (response.eTag() != null && !response.eTag().equals(version.etag())) {
      throw new SourceChangedException(description(), version(), response.eTag());
    }
    String expected = "bytes " + first + "-" + last + "/" + length;
    if (!expected.equals(response.contentRange())) {
      throw new RangeProtocolException(what + ": answered Content-Range " + response.contentRange() + ", expected " + expected);
    }
    Long size = response.contentLength();
    if (size != null && size != last - first + 1) {
      throw new RangeProtocolException(what + ": Content-Length " + size + ", expected " + (last - first + 1));
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException(description() + ": the source is closed");
    }
  }

  /** Requests sent so far: the open's HeadObject and every attempt of every read. */
  @Override
  public long requestCount() {
    return requests.sum();
  }

  /** Releases the SDK client (closed with the last source sharing it). Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    access.release();
  }

  @Override
  public String toString() {
    return "S3RangeSource[" + location + ", " + length + " bytes, " + version + "]";
  }
}
