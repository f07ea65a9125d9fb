package dev.streamfirst.testing.kit;

import static dev.streamfirst.testing.kit.ExpectedRow.row;
import static dev.streamfirst.testing.kit.Times.at;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.testing.fuzz.MalformedPayload;
import java.util.List;
import org.joda.time.Instant;
import org.junit.Test;

/** Time helpers, expected rows and their pairing with actual rows. */
public class TimesAndRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  public void at_readsTimeOfDayOnTheTestDay_andFullInstants() {
    assertEquals(Instant.parse("2026-11-25T10:00:05.250Z"), at("10:00:05.250"));
    assertEquals(Instant.parse("2026-11-25T10:00:00Z"), at("10:00"));
    assertEquals(Instant.parse("2027-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
  }

  @Test
  public void at_badText_showsTheFormsAccepted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> at("10h"));
    assertThat(e.getMessage(), containsString("\"HH:mm:ss\""));
  }

  @Test
  public void window_isHalfOpenFromStart() {
    assertEquals(at("10:01"), Times.window("10:00", "10:01").end());
    assertThrows(IllegalArgumentException.class, () -> Times.window(at("10:00"), Times.millis(0)));
  }

  @Test
  public void row_matchesNumbersByValue_instantsByTime_ignoresOtherFields() throws Exception {
    JsonNode actual =
        JSON.readTree(
            "{\"key\":\"u1\",\"count\":2,\"mean\":1.5,\"window_start\":\"2026-11-25T10:00:00.000Z\"}");
    assertTrue(row("key", "u1", "count", 2.0, "window_start", at("10:00")).matches(actual));
    assertFalse(row("key", "u1", "count", 3).matches(actual));
    assertFalse(row("key", "u1", "missing", 1).matches(actual));
    assertFalse(row("count", "2").matches(actual));
  }

  @Test
  public void row_oddArguments_sayHowToWriteIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> row("key", "u1", "count"));
    assertThat(e.getMessage(), containsString("names and values in turn"));
  }

  @Test
  public void pairing_findsAnAssignmentAGreedyOneWouldMiss() throws Exception {
    List<JsonNode> actual =
        List.of(
            JSON.readTree("{\"key\":\"a\",\"count\":1}"),
            JSON.readTree("{\"key\":\"b\",\"count\":1}"));
    // The first expectation matches both rows; taking "a" for it would leave nothing for the
    // second.
    assertTrue(RowMatching.matchesExactly(List.of(row("count", 1), row("key", "a")), actual));
    assertFalse(RowMatching.matchesExactly(List.of(row("key", "a"), row("key", "a")), actual));
    assertFalse(RowMatching.matchesExactly(List.of(row("key", "a")), actual));
  }

  @Test
  public void malformed_givesTheCorpusText() {
    assertEquals(
        new String(
            MalformedPayload.NOT_JSON.bytes("x", java.time.Instant.parse("2026-11-25T10:00:00Z")),
            java.nio.charset.StandardCharsets.UTF_8),
        Events.malformed(MalformedPayload.NOT_JSON, "x", at("10:00")));
  }
}
