package dev.streamfirst.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class GcloudParametersTest {
  @Test
  public void commaSeparatedPairs_areReadInOrder() {
    assertEquals(
        Map.of("window", "fixed:1m", "dedupTtl", "10m"),
        GcloudParameters.parse("window=fixed:1m,dedupTtl=10m"));
    assertEquals(
        List.of("--window=fixed:1m", "--dedupTtl=10m"),
        GcloudParameters.toFlags(GcloudParameters.parse("window=fixed:1m,dedupTtl=10m")));
  }

  @Test
  public void alternateDelimiter_letsValuesHoldCommas() {
    Map<String, String> p =
        GcloudParameters.parse("^~^source=file:///data/{a,b}.jsonl~keyField=first,last");
    assertEquals("file:///data/{a,b}.jsonl", p.get("source"));
    assertEquals("first,last", p.get("keyField"));
  }

  @Test
  public void multiCharacterDelimiter_isHonoured() {
    assertEquals(Map.of("a", "x,y", "b", "z"), GcloudParameters.parse("^;;^a=x,y;;b=z"));
  }

  @Test
  public void valuesKeepEqualsSignsSpacesAndQuotes() {
    Map<String, String> p =
        GcloudParameters.parse(
            "^|^source=generator://events?count=5&seed=7|keyField=my \"key\" = k");
    assertEquals("generator://events?count=5&seed=7", p.get("source"));
    assertEquals("my \"key\" = k", p.get("keyField"));
  }

  @Test
  public void commaInValueWithoutAlternateDelimiter_isRefusedWithTheFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GcloudParameters.parse("source=file:///data/{a,b}.jsonl"));
    assertThat(e.getMessage(), containsString("'b}.jsonl' is not name=value"));
    assertThat(e.getMessage(), containsString("^~^"));
  }

  @Test
  public void repeatedName_isRefused() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> GcloudParameters.parse("a=1,a=2"))
            .getMessage(),
        containsString("'a' is given twice"));
  }

  @Test
  public void danglingDelimiterPrefix_isRefused() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> GcloudParameters.parse("^a=1"))
            .getMessage(),
        containsString("declares no delimiter"));
  }
}
