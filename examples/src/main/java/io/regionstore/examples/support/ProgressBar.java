package io.regionstore.examples.support;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * A one-line text progress bar that redraws itself in place with a carriage return, e.g.
 *
 * <pre>indexing [##########..........]  50%  8,798/17,597 docs</pre>
 *
 * Meant for standard error, so standard output stays clean for results. Redraws at most every 100
 * ms (and whenever it reaches the total), so calling {@link #update} per item is cheap. Not
 * thread-safe: one thread updates it.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final LongFunction<String> amount;
  private long lastDraw = Long.MIN_VALUE;
  private long done;
  private long drawn = -1;
  private int lastWidth;
  private boolean finished;

  private ProgressBar(PrintStream out, String label, long total, LongFunction<String> amount) {
    this.out = out;
    this.label = label;
    this.total = Math.max(0, total);
    this.amount = amount;
  }

  /** A bar counting items, e.g. {@code "8,798/17,597 docs"}. */
  public static ProgressBar ofCount(PrintStream out, String label, long total, String noun) {
    return new ProgressBar(out, label, total, n -> Sizes.count(n) + "/" + Sizes.count(total) + " " + noun);
  }

  /** A bar counting bytes, e.g. {@code "12.0 MiB/24.0 MiB"}. */
  public static ProgressBar ofBytes(PrintStream out, String label, long total) {
    return new ProgressBar(out, label, total, n -> Sizes.human(n) + "/" + Sizes.human(total));
  }

  /** Sets the progress to {@code done} (of the total) and redraws if due. */
  public void update(long done) {
    this.done = done;
    long now = System.nanoTime();
    if (done >= total || lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw();
    }
  }

  /** Draws the final state and ends the line. Idempotent. */
  public void finish() {
    if (!finished) {
      finished = true;
      if (drawn != done) {
        draw();
      }
      out.print('\n');
      out.flush();
    }
  }

  private void draw() {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    String line =
        String.format(
            Locale.ROOT,
            "%s [%s%s] %3d%%  %s",
            label,
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            (int) Math.floor(fraction * 100),
            amount.apply(done));
    // blanks over the rest of a longer previous line ("1,023.9 MiB" becomes "1.0 GiB")
    out.print('\r' + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    lastWidth = line.length();
    drawn = done;
    out.flush();
  }
}
