package io.regionstore.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CorruptStoreExceptionTest {
  @Test
  void aLocalFileIsNamedAsFileAndSource() {
    CorruptStoreException e = new CorruptStoreException(Path.of("/s/regionstore.data"), 40, "bad field");
    assertEquals("bad field (file /s/regionstore.data, offset 40)", e.getMessage());
    assertEquals(Path.of("/s/regionstore.data"), e.file());
    assertEquals("/s/regionstore.data", e.source());
    assertEquals(40, e.offset());
    assertEquals("bad field", e.problem());
  }

  @Test
  void aRemoteSourceHasNoFile() {
    CorruptStoreException e = new CorruptStoreException("https://example.org/x.pack", 7, "bad field");
    assertEquals("bad field (source https://example.org/x.pack, offset 7)", e.getMessage());
    assertNull(e.file());
    assertEquals("https://example.org/x.pack", e.source());
    assertEquals(7, e.offset());
    assertEquals("bad field", e.problem());
    assertEquals("whole (source https://example.org/x.pack)",
        new CorruptStoreException("https://example.org/x.pack", -1, "whole").getMessage());
  }
}
