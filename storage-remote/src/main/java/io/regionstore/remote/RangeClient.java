package io.regionstore.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends the range requests of one {@link HttpRangeSource}: one {@link HttpClient} (keep-alive
 * connections; HTTP/2 over TLS where the server offers it, HTTP/1.1 on plain http), at most {@code
 * maxInFlight} requests at once, each attempt bounded by the request timeout (headers by the
 * client, the body by a watchdog that closes the stream), retried as {@link HttpRangeSourceOptions}
 * says, and every 206 checked before a byte of its body is copied. Thread-safe.
 */
final class RangeClient implements AutoCloseable {

  /** A 206 whose body was copied, or (when opening) a 416 whose body was not read. */
  record Answer(int status, ContentRange range, HttpHeaders headers) {}

  /** An attempt that failed in a way worth another attempt. */
  private static final class Retry extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    Retry(String message, int status) {
      super(message);
      this.status = status;
    }
  }

  /** An answer with a status that is not retried. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status) {
      super("status " + status);
      this.status = status;
    }
  }

  /** Headers the source sets itself; the header hook may not set them. */
  private static final Set<String> OWN_HEADERS =
      Set.of(
          "range",
          "if-range",
          "if-match",
          "if-none-match",
          "if-modified-since",
          "if-unmodified-since",
          "accept-encoding");

  private final URI uri;
  private final String description;
  private final HttpRangeSourceOptions options;
  private final HttpClient client;
  private final boolean plainHttp;
  private final Semaphore slots;
  private final Backoff backoff;
  private final LongAdder requests = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private volatile boolean closed;

  RangeClient(URI uri, HttpRangeSourceOptions options) {
    this.plainHttp = checkedScheme(uri).equals("http");
    this.uri = uri;
    this.description = describe(uri);
    this.options = options;
    this.slots = new Semaphore(options.maxInFlight(), true);
    this.backoff = new Backoff(options);
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(options.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .version(HttpClient.Version.HTTP_2);
    if (options.sslContext() != null) {
      builder.sslContext(options.sslContext());
    }
    this.client = builder.build();
  }

  /**
   * The scheme of {@code uri}, lower case.
   *
   * @throws IllegalArgumentException if it is not an http or https URL with a host
   */
  static String checkedScheme(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL with a host: " + describe(uri));
    }
    return scheme;
  }

  /** {@code uri} without user info, query and fragment: presigned URLs carry credentials there. */
  static String describe(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme() + "://";
    String host = uri.getHost() == null ? "" : uri.getHost();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return scheme + host + port + path;
  }

  String description() {
    return description;
  }

  long requests() {
    return requests.sum();
  }

  long retries() {
    return retries.sum();
  }

  /**
   * Fetches bytes {@code [first, last]} into {@code targets} (which hold exactly that many bytes),
   * retrying as the options say.
   *
   * @param total the file length the answer must state, or -1 when opening (any length; a 416 is
   *     then returned, unread, for the caller to judge)
   * @param version the validators to send and check, or null when opening
   */
  Answer fetch(long first, long last, long total, RemoteVersion version, List<MemorySegment> targets)
      throws IOException {
    String what = "GET " + description + " bytes " + first + "-" + last;
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      ensureOpen(what);
      IOException failure;
      int status = -1;
      try {
        return attempt(what, first, last, total, version, targets);
      } catch (Retry r) {
        failure = r;
        status = r.status;
      } catch (SourceChangedException | RangeProtocolException e) {
        throw e;
      } catch (Refused r) {
        throw new RangeRequestException(
            what + ": status " + r.status + " (not retried; attempt " + attempt + ")", r.status, attempt, null);
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
        failure = e;
      } catch (IOException e) {
        failure = e;
      }
      ensureOpen(what);
      if (attempt >= options.maxAttempts()) {
        throw giveUp(what, status, attempt, failure, "after " + attempt + " attempts");
      }
      long delay = backoff.delayNanos(attempt);
      if (System.nanoTime() + delay - start > options.retryBudget().toNanos()) {
        throw giveUp(
            what, status, attempt, failure, "after " + attempt + " attempts: retry budget " + options.retryBudget() + " spent");
      }
      retries.increment();
      try {
        TimeUnit.NANOSECONDS.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(what);
      }
    }
  }

  private static RangeRequestException giveUp(String what, int status, int attempts, IOException failure, String why) {
    String last = status > 0 ? "status " + status : failure.toString();
    return new RangeRequestException(
        what + ": " + last + "; gave up " + why, status, attempts, status > 0 ? null : failure);
  }

  private Answer attempt(
      String what, long first, long last, long total, RemoteVersion version, List<MemorySegment> targets)
      throws IOException {
    HttpRequest request = request(first, last, version);
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(what);
    }
    try {
      long deadline = System.nanoTime() + options.requestTimeout().toNanos();
      requests.increment();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(what);
      }
      // Closing the stream before its end aborts the exchange: a body is never read further
      // than the checks below allow.
      try (InputStream body = response.body()) {
        return answer(what, response, body, first, last, total, version, targets, deadline);
      }
    } finally {
      slots.release();
    }
  }

  private Answer answer(
      String what,
      HttpResponse<InputStream> response,
      InputStream body,
      long first,
      long last,
      long total,
      RemoteVersion version,
      List<MemorySegment> targets,
      long deadline)
      throws IOException {
    int status = response.statusCode();
    HttpHeaders headers = response.headers();
    ContentRange range = ContentRange.parse(headers.firstValue("Content-Range").orElse(null));
    switch (status) {
      case 206 -> {}
      case 200 ->
          throw new RangeProtocolException(
              what + ": the server ignored Range and answered 200 with the whole file; the body was not read");
      case 412 -> throw new SourceChangedException(description, String.valueOf(version), RemoteVersion.of(headers).toString());
      case 416 -> {
        if (range == null || range.first() >= 0) {
          throw new RangeProtocolException(what + ": 416 without a Content-Range of the form bytes */length");
        }
        if (total < 0) {
          return new Answer(status, range, headers);
        }
        if (range.total() != total) {
          throw new SourceChangedException(description, String.valueOf(version), "of length " + range.total());
        }
        throw new RangeProtocolException(what + ": 416 for a range inside the file's " + total + " bytes");
      }
      default -> {
        if (Backoff.retryable(status)) {
          throw new Retry("status " + status, status);
        }
        throw new Refused(status);
      }
    }
    if (version != null) {
      String seen = version.mismatch(headers);
      if (seen != null) {
        throw new SourceChangedException(description, version.toString(), seen);
      }
    }
    String rangeHeader = headers.firstValue("Content-Range").orElse("(none)");
    if (range == null || range.first() != first || range.last() != last || (total >= 0 && range.total() != total)) {
      throw new RangeProtocolException(
          what + ": answered Content-Range " + rangeHeader + ", expected bytes " + first + "-" + last + "/"
              + (total >= 0 ? total : "<length>"));
    }
    long asked = last - first + 1;
    String length = headers.firstValue("Content-Length").orElse(null);
    if (length != null && !length.equals(Long.toString(asked))) {
      throw new RangeProtocolException(what + ": Content-Length " + length + ", expected " + asked);
    }
    String coding = headers.firstValue("Content-Encoding").orElse("identity");
    if (!coding.equalsIgnoreCase("identity")) {
      throw new RangeProtocolException(what + ": body has Content-Encoding " + coding + " though identity was asked for");
    }
    copyBefore(deadline, body, targets, asked, what);
    return new Answer(status, range, headers);
  }

  /** Copies the body; past {@code deadline} a watchdog closes the stream, failing the copy. */
  private void copyBefore(long deadline, InputStream body, List<MemorySegment> targets, long asked, String what)
      throws IOException {
    CompletableFuture<Void> watchdog = new CompletableFuture<>();
    watchdog
        .orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
        .whenComplete(
            (v, timeout) -> {
              if (timeout != null) {
                closeQuietly(body);
              }
            });
    try {
      BodyCopy.copy(body, targets, asked, what);
    } catch (IOException e) {
      if (watchdog.isCompletedExceptionally()) {
        HttpTimeoutException t =
            new HttpTimeoutException("body not complete within the request timeout " + options.requestTimeout());
        t.initCause(e);
        throw t;
      }
      throw e;
    } finally {
      watchdog.complete(null);
    }
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // The copy fails with the timeout; nothing more to report.
    }
  }

  private HttpRequest request(long first, long last, RemoteVersion version) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .GET()
            .timeout(options.requestTimeout())
            .header("Range", "bytes=" + first + "-" + last)
            .header("Accept-Encoding", "identity");
    if (plainHttp) {
      // No h2c upgrade on plain http: HTTP/1.1 with keep-alive.
      b.version(HttpClient.Version.HTTP_1_1);
    }
    if (version != null) {
      version.addPrecondition(b);
    }
    for (Map.Entry<String, String> h : options.headers().get().entrySet()) {
      if (OWN_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("the header hook may not set " + h.getKey() + ": the range source sets it");
      }
      b.header(h.getKey(), h.getValue());
    }
    return b.build();
  }

  private InterruptedIOException interrupted(String what) {
    return new InterruptedIOException(what + ": interrupted");
  }

  private void ensureOpen(String what) throws IOException {
    if (closed) {
      throw new IOException(what + ": the source is closed");
    }
  }

  /** Aborts requests in flight and closes connections; later fetches throw. */
  @Override
  public void close() {
    closed = true;
    client.shutdownNow();
  }
}
