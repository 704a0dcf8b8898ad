package io.regionstore.catalog;

import java.nio.charset.StandardCharsets;

/**
 * The rules for region names.
 *
 * <p>A region name is any non-empty string of at most {@value #MAX_NAME_BYTES} UTF-8 bytes that
 * contains no path separator ({@code '/'} or {@code '\\'}), no NUL or other control character and
 * no unpaired surrogate, and is not {@code "."} or {@code ".."}. These rules accept every file name
 * Lucene writes while keeping names safe to print, to export to a plain folder and to round-trip
 * through the UTF-8 catalog unchanged.
 */
public final class RegionNames {
  /** The longest name, in UTF-8 bytes; the catalog stores the length in an unsigned byte. */
  public static final int MAX_NAME_BYTES = 255;

  private RegionNames() {}

  /**
   * Checks a region name.
   *
   * @return the name itself, for chaining
   * @throws IllegalArgumentException naming the offending character and its index, or the length
   */
  public static String validate(String name) {
    if (name == null) {
      throw new IllegalArgumentException("region name is null");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("region name is empty");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("region name \"" + name + "\" is reserved");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        throw new IllegalArgumentException(
            "region name \"" + name + "\" contains a path separator at index " + i);
      }
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            "region name contains control character 0x"
                + Integer.toHexString(c)
                + " at index "
                + i
                + ": \""
                + printable(name)
                + "\"");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < name.length()
          && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "region name \"" + printable(name) + "\" has an unpaired surrogate at index " + i);
      }
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "region name is "
              + bytes
              + " UTF-8 bytes long, the limit is "
              + MAX_NAME_BYTES
              + ": \""
              + name.substring(0, 40)
              + "...\"");
    }
    return name;
  }

  private static String printable(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
