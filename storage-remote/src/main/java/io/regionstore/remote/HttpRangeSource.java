package io.regionstore.remote;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.List;

/**
 * A {@link RangeSource} on a file served over HTTP(S): every read is one {@code GET} with a {@code
 * Range} header, streamed straight into the target segments. Works with plain static file servers
 * and object stores (presigned URLs as they are; bearer tokens through {@link
 * HttpRangeSourceOptions#headers()}).
 *
 * <p><b>Open.</b> One request, {@code GET} with {@code Range: bytes=0-0}: its 206 answer gives the
 * length (the total of {@code Content-Range}) and the validators, and proves that the server
 * honours ranges. A {@code HEAD} would cost the same one request but proves neither, and a URL
 * presigned for {@code GET} (S3, GCS) refuses {@code HEAD}. An empty file answers 416 with {@code
 * bytes *}{@code /0}: the source then has length 0.
 *
 * <p><b>Version.</b> The {@code ETag} seen at open, else its {@code Last-Modified}; a server that
 * sends neither is refused at open with {@link RangeProtocolException} (a replaced file could not
 * be detected, and bytes of two versions could mix). Every read sends a precondition ({@code
 * If-Match} for a strong ETag, else {@code If-Unmodified-Since}) and checks the validator of the
 * answer before copying a byte: a replaced file fails the read with {@link SourceChangedException}
 * (a 412, or a 206 with another validator), never with mixed bytes.
 *
 * <p><b>Checks.</b> Every answer must be 206 with {@code Content-Range} exactly {@code bytes
 * first-last/length} as asked, the length seen at open, a Content-Length (when sent) of the asked
 * size, and a body of exactly that size: otherwise {@link RangeProtocolException}. A 200 (the
 * server ignored {@code Range}) is refused without reading its body. A body is read at most one
 * byte past the asked length.
 *
 * <p><b>Failures.</b> Retries, timeouts and the bound on requests in flight are those of {@link
 * HttpRangeSourceOptions}; a read that still fails throws {@link RangeRequestException}. Every
 * message names the URL without its query string (presigned URLs carry credentials there) and the
 * byte range; so does {@link #description()}.
 *
 * <p>Thread-safe. {@link #close()} aborts reads in flight.
 */
public final class HttpRangeSource implements RangeSource {

  private final RangeClient client;
  private final long length;
  private final RemoteVersion version;

  private HttpRangeSource(RangeClient client, long length, RemoteVersion version) {
    this.client = client;
    this.length = length;
    this.version = version;
  }

  /** Opens {@code uri} with {@link HttpRangeSourceOptions#defaults()}; see {@link #open(URI, HttpRangeSourceOptions)}. */
  public static HttpRangeSource open(URI uri) throws IOException {
    return open(uri, HttpRangeSourceOptions.defaults());
  }

  /**
   * Opens the file at {@code uri} with one request (retried as the options say), learning its
   * length and version.
   *
   * @throws IllegalArgumentException if {@code uri} is not an http or https URL with a host
   * @throws RangeProtocolException if the server does not honour {@code Range} or sends no validator
   * @throws RangeRequestException if the request fails (e.g. 404, 403, or retries exhausted)
   */
  public static HttpRangeSource open(URI uri, HttpRangeSourceOptions options) throws IOException {
    RangeClient client = new RangeClient(uri, options);
    try {
      MemorySegment firstByte = MemorySegment.ofArray(new byte[1]);
      RangeClient.Answer answer = client.fetch(0, 0, -1, null, List.of(firstByte));
      RemoteVersion version = RemoteVersion.of(answer.headers());
      if (answer.status() == 416) {
        if (answer.range().total() != 0) {
          throw new RangeProtocolException(
              "GET " + client.description() + " bytes 0-0: 416 for the first byte of a file of length " + answer.range().total());
        }
        return new HttpRangeSource(client, 0, version);
      }
      if (version.isEmpty()) {
        throw new RangeProtocolException(
            "GET " + client.description() + " bytes 0-0: the server sends neither ETag nor Last-Modified,"
                + " so a replaced file could not be detected");
      }
      return new HttpRangeSource(client, answer.range().total(), version);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public String description() {
    return client.description();
  }

  @Override
  public long length() {
    return length;
  }

  /** The ETag seen at open, else its Last-Modified; {@code "(none)"} for an empty file without either. */
  @Override
  public String version() {
    return version.isEmpty() ? "(none)" : version.toString();
  }

  @Override
  public void read(long position, List<MemorySegment> targets) throws IOException {
    long total = Targets.checkedLength(description(), length, position, targets);
    if (total == 0) {
      return;
    }
    client.fetch(position, position + total - 1, length, version, targets);
  }

  /** Requests sent so far (every attempt counts, the open's included). */
  @Override
  public long requestCount() {
    return client.requests();
  }

  /** Retries made so far (attempts after the first of a read or of the open). */
  public long retryCount() {
    return client.retries();
  }

  /** Aborts reads in flight and closes connections; reads after close throw IOException. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "HttpRangeSource[" + description() + ", " + length + " bytes, " + version() + "]";
  }
}
