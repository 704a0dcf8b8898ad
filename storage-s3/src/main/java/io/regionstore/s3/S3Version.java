package io.regionstore.s3;

/**
 * The version of an object: its ETag (quotes included, as S3 sends it) and, in a versioned
 * bucket, its version id. Printed as {@code "etag"} or {@code "etag" versionId}; {@link #parse}
 * reads that back.
 */
record S3Version(String etag, String versionId) {

  /** The version of an answer; a version id of {@code "null"} (unversioned object) is none. */
  static S3Version of(String etag, String versionId) {
    if (etag == null || etag.isEmpty()) {
      throw new IllegalArgumentException("S3 sent no ETag");
    }
    return new S3Version(etag, versionId == null || versionId.equals("null") || versionId.isEmpty() ? null : versionId);
  }

  /**
   * A version as {@link #toString()} printed it, or a bare ETag with or without its quotes.
   *
   * @throws IllegalArgumentException if it is empty
   */
  static S3Version parse(String printed) {
    String s = printed.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty version");
    }
    if (s.startsWith("\"")) {
      int end = s.indexOf('"', 1);
      if (end > 0) {
        String rest = s.substring(end + 1).strip();
        return of(s.substring(0, end + 1), rest.isEmpty() ? null : rest);
      }
    }
    return of("\"" + s + "\"", null);
  }

  @Override
  public String toString() {
    return versionId == null ? etag : etag + " " + versionId;
  }
}
