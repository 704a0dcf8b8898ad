package io.regionstore.testserver;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The response side of a {@link Fault}: edits headers before the first body write, and cuts,
 * stalls or resets the body half way. Jetty calls one response's writes one at a time.
 */
final class FaultResponse extends Response.Wrapper {

  private final Fault fault;
  private final Fault cutter;
  private final boolean longBody;
  private final AtomicLong bodyBytes;
  private boolean started;
  private boolean cut;
  private long written;
  private long half = -1;

  FaultResponse(Request request, Response response, Fault fault, AtomicLong bodyBytes) {
    super(request, response);
    this.fault = fault;
    this.cutter = fault.parts.stream().filter(Fault::cutsBody).findFirst().orElse(null);
    this.longBody = fault.parts.stream().anyMatch(p -> p.kind == Fault.Kind.LONG_BODY);
    this.bodyBytes = bodyBytes;
  }

  @Override
  public void write(boolean last, ByteBuffer bytes, Callback callback) {
    // A stream's close ends the body with a null buffer.
    ByteBuffer content = bytes == null ? ByteBuffer.allocate(0) : bytes;
    if (!started) {
      started = true;
      editHeaders();
    }
    boolean cuts = cutter != null;
    int room = (int) Math.min(Integer.MAX_VALUE, half - written);
    if (cuts && !cut && half >= 0 && content.remaining() >= room) {
      cut = true;
      ByteBuffer head = content.slice(content.position(), room);
      ByteBuffer rest = content.slice(content.position() + room, content.remaining() - room);
      through(false, head, Callback.from(() -> afterHalf(last, rest, callback), callback::failed));
      return;
    }
    if (last && longBody && !isCommitted()) {
      // A first write that is also the last would make Jetty send a Content-Length of its size.
      through(false, content, Callback.from(() -> through(true, ByteBuffer.allocate(0), callback), callback::failed));
      return;
    }
    through(last, content, callback);
  }

  private void through(boolean last, ByteBuffer content, Callback callback) {
    int n = content.remaining();
    written += n;
    super.write(
        last,
        content,
        Callback.from(
            () -> {
              bodyBytes.addAndGet(n);
              callback.succeeded();
            },
            callback::failed));
  }

  private void afterHalf(boolean last, ByteBuffer rest, Callback callback) {
    switch (cutter.kind) {
      case STALL_BODY ->
          getRequest()
              .getComponents()
              .getScheduler()
              .schedule(() -> through(last, rest, callback), cutter.duration.toNanos(), TimeUnit.NANOSECONDS);
      case TRUNCATE_BODY -> abort(false, callback);
      case RESET_BODY -> abort(true, callback);
      default -> throw new IllegalStateException(cutter.toString());
    }
  }

  private void abort(boolean reset, Callback callback) {
    EndPoint endPoint = getRequest().getConnectionMetaData().getConnection().getEndPoint();
    if (reset && endPoint instanceof SocketChannelEndPoint socket) {
      // Closed under Jetty's feet with no linger: the kernel sends RST, no FIN before it.
      try {
        socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
        socket.getChannel().close();
      } catch (IOException e) {
        callback.failed(e);
        return;
      }
    }
    endPoint.close();
    callback.failed(new IOException("injected fault: " + cutter));
  }

  private void editHeaders() {
    for (Fault part : fault.parts) {
      switch (part.kind) {
        case SET_HEADER -> getHeaders().put(part.header, part.value);
        case REMOVE_HEADERS -> part.headers.forEach(getHeaders()::remove);
        case LONG_BODY -> {
          String range = getHeaders().get(HttpHeader.CONTENT_RANGE);
          if (range != null) {
            long[] r = parseRange(range, "bytes ");
            String total = range.substring(range.indexOf('/'));
            getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + r[0] + "-" + (r[1] - part.extra) + total);
            getHeaders().remove(HttpHeader.CONTENT_LENGTH);
          }
        }
        default -> {}
      }
    }
    String length = getHeaders().get(HttpHeader.CONTENT_LENGTH);
    if (length != null) {
      half = Long.parseLong(length) / 2;
    }
  }

  /** The first and last byte of {@code "<prefix>first-last"}, optionally followed by {@code /total}. */
  static long[] parseRange(String header, String prefix) {
    if (header == null || !header.startsWith(prefix)) {
      throw new IllegalArgumentException("not a single range: " + header);
    }
    String spec = header.substring(prefix.length());
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      spec = spec.substring(0, slash);
    }
    int dash = spec.indexOf('-');
    return new long[] {Long.parseLong(spec.substring(0, dash)), Long.parseLong(spec.substring(dash + 1))};
  }
}
