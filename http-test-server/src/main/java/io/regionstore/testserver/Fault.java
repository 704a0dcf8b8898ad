package io.regionstore.testserver;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One misbehaviour the {@link FaultFront} applies to one request (or to every request, see {@link
 * FaultFront#always}). Immutable; made by the static factories, each of which says exactly what the
 * client sees.
 */
public final class Fault {

  enum Kind {
    NONE,
    STATUS,
    DELAY,
    STALL_BODY,
    TRUNCATE_BODY,
    RESET_BODY,
    SET_HEADER,
    REMOVE_HEADERS,
    IGNORE_RANGE,
    DROP_PRECONDITIONS,
    LONG_BODY,
    ALL
  }

  final Kind kind;
  final int status;
  final Duration duration;
  final String header;
  final String value;
  final List<String> headers;
  final int extra;
  final List<Fault> parts;

  private Fault(
      Kind kind, int status, Duration duration, String header, String value, List<String> headers, int extra) {
    this.kind = kind;
    this.status = status;
    this.duration = duration;
    this.header = header;
    this.value = value;
    this.headers = headers;
    this.extra = extra;
    this.parts = List.of(this);
  }

  private Fault(List<Fault> parts) {
    this.kind = Kind.ALL;
    this.status = 0;
    this.duration = Duration.ZERO;
    this.header = null;
    this.value = null;
    this.headers = List.of();
    this.extra = 0;
    this.parts = parts;
  }

  private static Fault of(Kind kind) {
    return new Fault(kind, 0, Duration.ZERO, null, null, List.of(), 0);
  }

  /** The request is served normally. */
  public static Fault none() {
    return of(Kind.NONE);
  }

  /** The answer is {@code status} with a short text body; the file is not served. */
  public static Fault status(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    return new Fault(Kind.STATUS, status, Duration.ZERO, null, null, List.of(), 0);
  }

  /**
   * The answer is {@code status} with {@code body} as {@code application/xml} (e.g. an S3 error
   * document); the file is not served. Headers set by {@link #setHeader} parts of the same {@link
   * #all} are sent with it.
   */
  public static Fault reply(int status, String body) {
    Fault f = status(status);
    return new Fault(Kind.STATUS, f.status, Duration.ZERO, null, Objects.requireNonNull(body), List.of(), 0);
  }

  /** The request waits {@code delay} before it is served normally (late headers). */
  public static Fault delay(Duration delay) {
    return new Fault(Kind.DELAY, 0, nonNegative(delay), null, null, List.of(), 0);
  }

  /**
   * Headers and the first half of the body are sent at once; the rest follows after {@code stall}
   * (a body that stops moving).
   */
  public static Fault stallBody(Duration stall) {
    return new Fault(Kind.STALL_BODY, 0, nonNegative(stall), null, null, List.of(), 0);
  }

  /**
   * Headers (with the full Content-Length) and the first half of the body are sent, then the
   * connection is closed normally (FIN): the client sees the body end early.
   */
  public static Fault truncateBody() {
    return of(Kind.TRUNCATE_BODY);
  }

  /**
   * Headers and the first half of the body are sent, then the connection is reset (RST, by
   * closing the socket with SO_LINGER 0): the client sees "connection reset" mid-body.
   */
  public static Fault resetMidBody() {
    return of(Kind.RESET_BODY);
  }

  /** Served normally, but the response header {@code name} is set to {@code value}. */
  public static Fault setHeader(String name, String value) {
    return new Fault(
        Kind.SET_HEADER, 0, Duration.ZERO, Objects.requireNonNull(name), Objects.requireNonNull(value), List.of(), 0);
  }

  /** Served normally, but the named response headers are removed (e.g. ETag, Last-Modified). */
  public static Fault removeHeaders(String... names) {
    return new Fault(Kind.REMOVE_HEADERS, 0, Duration.ZERO, null, null, List.of(names), 0);
  }

  /** The request's Range header is dropped: the server answers 200 with the whole file. */
  public static Fault ignoreRange() {
    return of(Kind.IGNORE_RANGE);
  }

  /**
   * The request's If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since headers are
   * dropped: a server that ignores preconditions.
   */
  public static Fault dropPreconditions() {
    return of(Kind.DROP_PRECONDITIONS);
  }

  /**
   * The server sends {@code extra} more bytes than asked for: the asked range is extended for the
   * file server, the response's Content-Range is rewritten to the asked one and its Content-Length
   * removed (the body is sent chunked), so only counting the body reveals it.
   */
  public static Fault longBody(int extra) {
    if (extra <= 0) {
      throw new IllegalArgumentException("extra must be positive: " + extra);
    }
    return new Fault(Kind.LONG_BODY, 0, Duration.ZERO, null, null, List.of(), extra);
  }

  /**
   * All of {@code faults} on the same request, in order (e.g. a different ETag on a server that
   * ignores preconditions). At most one of them may cut the body, and a {@link #status} answer
   * ends the request where it stands.
   */
  public static Fault all(Fault... faults) {
    List<Fault> parts = new java.util.ArrayList<>();
    for (Fault f : faults) {
      parts.addAll(f.parts);
    }
    if (parts.stream().filter(Fault::cutsBody).count() > 1) {
      throw new IllegalArgumentException("more than one body fault: " + parts);
    }
    return new Fault(List.copyOf(parts));
  }

  boolean cutsBody() {
    return kind == Kind.STALL_BODY || kind == Kind.TRUNCATE_BODY || kind == Kind.RESET_BODY;
  }

  private static Duration nonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case STATUS -> "status " + status + (value == null ? "" : " with a body");
      case DELAY, STALL_BODY -> kind + " " + duration;
      case SET_HEADER -> "set " + header + ": " + value;
      case REMOVE_HEADERS -> "remove " + headers;
      case LONG_BODY -> "long body +" + extra;
      case ALL -> parts.toString();
      default -> kind.toString();
    };
  }
}
