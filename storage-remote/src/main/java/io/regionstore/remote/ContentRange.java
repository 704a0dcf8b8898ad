package io.regionstore.remote;

import java.util.Locale;

/**
 * A parsed {@code Content-Range} header: {@code bytes first-last/total}, or {@code bytes *}{@code /total}
 * (first and last -1) as a 416 answer carries it. Nothing else is accepted: no spaces, no unknown
 * total.
 */
record ContentRange(long first, long last, long total) {

  /** The header's range, or null if it is missing or not exactly of one of the two forms. */
  static ContentRange parse(String header) {
    if (header == null || header.length() < 7 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("bytes ")) {
      return null;
    }
    String spec = header.substring(6);
    int slash = spec.indexOf('/');
    if (slash < 0) {
      return null;
    }
    long total = number(spec.substring(slash + 1));
    if (total < 0) {
      return null;
    }
    String range = spec.substring(0, slash);
    if (range.equals("*")) {
      return new ContentRange(-1, -1, total);
    }
    int dash = range.indexOf('-');
    if (dash < 0) {
      return null;
    }
    long first = number(range.substring(0, dash));
    long last = number(range.substring(dash + 1));
    if (first < 0 || last < first || last >= total) {
      return null;
    }
    return new ContentRange(first, last, total);
  }

  /** The digits' value, or -1 if the text is not 1 to 18 ASCII digits. */
  private static long number(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
