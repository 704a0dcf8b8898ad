package io.regionstore.testserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty handler in front of a file server that misbehaves on purpose and counts what it sees.
 *
 * <p>Each request takes the next {@link Fault} of the plan ({@link #plan}), or the standing fault
 * ({@link #always}, {@link Fault#none()} unless set) when the plan is empty, after waiting the
 * standing {@link #delay} (0 unless set; benchmarks use it to imitate network latency).
 *
 * <p>Counters: every request is counted and recorded ({@link #requestCount}, {@link #requests}).
 * {@link #maxInFlight} is the largest number of requests seen at once between their arrival and the
 * start of their response (after the delays): that interval lies inside the client's own request,
 * so the count never exceeds the number of requests the client had in flight. {@link #bodyBytes}
 * counts response body bytes whose write to the connection completed; Jetty may report a write
 * complete just after the client received its bytes, so wait for the count to settle.
 *
 * <p>Thread-safe: tests change the plan while the server runs.
 */
public final class FaultFront extends Handler.Wrapper {

  private final ConcurrentLinkedQueue<Fault> plan = new ConcurrentLinkedQueue<>();
  private volatile Fault always = Fault.none();
  private volatile Duration delay = Duration.ZERO;
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();

  /** Wraps {@code files}, the handler that serves the files (or forwards to a server that does). */
  public FaultFront(Handler files) {
    super(files);
  }

  /** Appends faults for the next requests, one each, in order. */
  public FaultFront plan(Fault... faults) {
    plan.addAll(List.of(faults));
    return this;
  }

  /** The fault of every request that finds the plan empty. */
  public FaultFront always(Fault fault) {
    always = Objects.requireNonNull(fault);
    return this;
  }

  /** A wait before every request is handled (its response starts that much later). */
  public FaultFront delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay: " + delay);
    }
    this.delay = delay;
    return this;
  }

  /** Clears the plan, the standing fault, the delay and every counter. */
  public void reset() {
    plan.clear();
    always = Fault.none();
    delay = Duration.ZERO;
    requestCount.set(0);
    maxInFlight.set(0);
    bodyBytes.set(0);
    requests.clear();
  }

  /** Requests received since start or the last {@link #reset}. */
  public int requestCount() {
    return requestCount.get();
  }

  /** The requests received, in arrival order. */
  public List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** The most requests seen at once (see the class comment for what "at once" means). */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Response body bytes written to connections (writes that completed). */
  public long bodyBytes() {
    return bodyBytes.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    requestCount.incrementAndGet();
    requests.add(record(request));
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    Fault planned = plan.poll();
    Fault fault = planned != null ? planned : always;
    try {
      sleep(delay);
      for (Fault part : fault.parts) {
        if (part.kind == Fault.Kind.DELAY) {
          sleep(part.duration);
        }
      }
    } finally {
      inFlight.decrementAndGet();
    }
    Request served = request;
    for (Fault part : fault.parts) {
      switch (part.kind) {
        case STATUS -> {
          response.setStatus(part.status);
          for (Fault header : fault.parts) {
            if (header.kind == Fault.Kind.SET_HEADER) {
              response.getHeaders().put(header.header, header.value);
            }
          }
          boolean text = part.value == null;
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, text ? "text/plain" : "application/xml");
          Content.Sink.write(response, true, text ? "injected fault: " + part : part.value, callback);
          return true;
        }
        case IGNORE_RANGE -> served = withoutHeaders(served, HttpHeader.RANGE, HttpHeader.IF_RANGE);
        case DROP_PRECONDITIONS ->
            served =
                withoutHeaders(
                    served,
                    HttpHeader.IF_MATCH,
                    HttpHeader.IF_NONE_MATCH,
                    HttpHeader.IF_MODIFIED_SINCE,
                    HttpHeader.IF_UNMODIFIED_SINCE);
        case LONG_BODY -> served = withRangeExtended(served, part.extra);
        default -> {}
      }
    }
    return super.handle(served, new FaultResponse(served, response, fault, bodyBytes), callback);
  }

  /** Faults sleep in {@link #handle}: Jetty must call it on a pool thread, not a selector. */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.BLOCKING;
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      Thread.sleep(d);
    }
  }

  private static RecordedRequest record(Request request) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField f : request.getHeaders()) {
      headers.merge(f.getName().toLowerCase(Locale.ROOT), f.getValue(), (a, b) -> a + ", " + b);
    }
    String query = request.getHttpURI().getQuery();
    String target = request.getHttpURI().getPath() + (query == null ? "" : "?" + query);
    return new RecordedRequest(
        request.getMethod(), target, request.getConnectionMetaData().getProtocol(), Map.copyOf(headers));
  }

  private static Request withoutHeaders(Request request, HttpHeader... names) {
    HttpFields.Mutable headers = HttpFields.build(request.getHeaders());
    for (HttpHeader name : names) {
      headers.remove(name);
    }
    return withHeaders(request, headers.asImmutable());
  }

  private static Request withRangeExtended(Request request, int extra) {
    String range = request.getHeaders().get(HttpHeader.RANGE);
    long[] r = FaultResponse.parseRange(range, "bytes=");
    HttpFields.Mutable headers = HttpFields.build(request.getHeaders());
    headers.put(HttpHeader.RANGE, "bytes=" + r[0] + "-" + (r[1] + extra));
    return withHeaders(request, headers.asImmutable());
  }

  private static Request withHeaders(Request request, HttpFields headers) {
    return new Request.Wrapper(request) {
      @Override
      public HttpFields getHeaders() {
        return headers;
      }
    };
  }
}
