package io.regionstore.cache;

/**
 * What a slot holds: block {@code index} of {@code content}, i.e. the content's bytes
 * [index * blockSize, min(length, (index + 1) * blockSize)).
 */
record BlockKey(ContentId content, long index) {
  @Override
  public String toString() {
    return "block " + index + " of content " + content;
  }
}
