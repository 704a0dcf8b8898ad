package io.regionstore.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteVersionTest {

  private static final String DATE = "Mon, 30 Nov 2026 12:31:05 GMT";

  private static HttpHeaders headers(String etag, String lastModified) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    if (etag != null) {
      map.put("ETag", List.of(etag));
    }
    if (lastModified != null) {
      map.put("Last-Modified", List.of(lastModified));
    }
    return HttpHeaders.of(map, (a, b) -> true);
  }

  private static HttpHeaders precondition(RemoteVersion v) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1/x"));
    v.addPrecondition(b);
    return b.build().headers();
  }

  @Test
  void strongEtagIsSentAsIfMatch() {
    RemoteVersion v = RemoteVersion.of(headers("\"abc\"", DATE));
    assertEquals("\"abc\"", v.toString());
    assertEquals(Optional.of("\"abc\""), precondition(v).firstValue("If-Match"));
    assertEquals(Optional.empty(), precondition(v).firstValue("If-Unmodified-Since"));
  }

  @Test
  void weakEtagIsNeverSentAsIfMatch() {
    RemoteVersion withDate = RemoteVersion.of(headers("W/\"abc\"", DATE));
    assertEquals("W/\"abc\"", withDate.toString());
    assertEquals(Optional.empty(), precondition(withDate).firstValue("If-Match"));
    assertEquals(Optional.of(DATE), precondition(withDate).firstValue("If-Unmodified-Since"));
    RemoteVersion alone = RemoteVersion.of(headers("W/\"abc\"", null));
    assertTrue(precondition(alone).map().isEmpty(), "nothing to send: only the answer's ETag is checked");
  }

  @Test
  void lastModifiedAloneIsSentAsIfUnmodifiedSince() {
    RemoteVersion v = RemoteVersion.of(headers(null, DATE));
    assertEquals(DATE, v.toString());
    assertEquals(Optional.of(DATE), precondition(v).firstValue("If-Unmodified-Since"));
  }

  @Test
  void noValidatorsIsEmpty() {
    assertTrue(RemoteVersion.of(headers(null, null)).isEmpty());
    assertFalse(RemoteVersion.of(headers(null, DATE)).isEmpty());
  }

  @Test
  void answerMustCarryTheValidatorSeenAtOpen() {
    RemoteVersion etag = RemoteVersion.of(headers("\"abc\"", DATE));
    assertNull(etag.mismatch(headers("\"abc\"", "another date")), "the ETag decides when there is one");
    assertEquals("\"xyz\"", etag.mismatch(headers("\"xyz\"", DATE)));
    assertEquals("W/\"abc\"", etag.mismatch(headers("W/\"abc\"", DATE)));
    assertEquals("(none)", etag.mismatch(headers(null, DATE)));
    RemoteVersion date = RemoteVersion.of(headers(null, DATE));
    assertNull(date.mismatch(headers("\"any\"", DATE)));
    assertEquals("Tue, 01 Dec 2026 00:00:00 GMT", date.mismatch(headers(null, "Tue, 01 Dec 2026 00:00:00 GMT")));
    assertEquals("(none)", date.mismatch(headers(null, null)));
  }
}
