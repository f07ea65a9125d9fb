package dev.streamfirst.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class IoUriTest {

  @Test
  public void generatorUri_splitsIntoParts() {
    IoUri uri = IoUri.parse("generator://events?count=10&seed=7");

    assertEquals("generator", uri.scheme());
    assertTrue(uri.hasAuthority());
    assertEquals("events", uri.authority());
    assertEquals("", uri.path());
    assertEquals("count=10&seed=7", uri.query());
    assertEquals(Map.of("count", "10", "seed", "7"), uri.queryParameters());
  }

  @Test
  public void fileUriWithGlob_keepsBodyVerbatim() {
    IoUri uri = IoUri.parse("file:///data/in/part-?.{json,jsonl}");

    assertEquals("file", uri.scheme());
    assertEquals("", uri.authority());
    assertEquals("///data/in/part-?.{json,jsonl}", uri.body());
  }

  @Test
  public void schemeIsCaseInsensitive() {
    assertEquals("file", IoUri.parse("FILE:///tmp/x").scheme());
  }

  @Test
  public void uriWithoutAuthority_hasPathOnly() {
    IoUri uri = IoUri.parse("console:");

    assertFalse(uri.hasAuthority());
    assertEquals("", uri.body());
    assertEquals("", uri.path());
  }

  @Test
  public void queryValues_arePercentDecodedButPlusStaysPlus() {
    IoUri uri = IoUri.parse("generator://events?start=2026-01-01T10:00:00+05:30&note=a%20b");

    assertEquals("2026-01-01T10:00:00+05:30", uri.queryParameters().get("start"));
    assertEquals("a b", uri.queryParameters().get("note"));
  }

  @Test
  public void missingScheme_isRefusedWithFileHint() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IoUri.parse("/tmp/in"));

    assertThat(e.getMessage(), containsString("missing scheme in '/tmp/in'"));
    assertThat(e.getMessage(), containsString("file:///tmp/in"));
  }

  @Test
  public void relativePathWithColonLater_isMissingScheme() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IoUri.parse("data/in:x"));

    assertThat(e.getMessage(), containsString("missing scheme in 'data/in:x'"));
  }

  @Test
  public void invalidScheme_isNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IoUri.parse("9p://host/x"));

    assertThat(e.getMessage(), containsString("invalid scheme '9p'"));
  }

  @Test
  public void blank_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IoUri.parse("  "));

    assertThat(e.getMessage(), containsString("a URI is required"));
  }

  @Test
  public void repeatedParameter_isRefused() {
    IoUri uri = IoUri.parse("generator://events?count=1&count=2");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, uri::queryParameters);

    assertThat(e.getMessage(), containsString("parameter 'count' is given twice"));
  }

  @Test
  public void parameterWithoutValue_isRefused() {
    IoUri uri = IoUri.parse("generator://events?count");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, uri::queryParameters);

    assertThat(e.getMessage(), containsString("query part 'count'"));
  }
}
