package dev.streamfirst.transforms.aggregate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.joda.time.DateTimeZone;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class StatsRowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final Instant END = Instant.parse("2026-11-25T10:01:00.000Z");

  @Test
  public void toJson_hasExactlyTheDocumentedFields() throws Exception {
    JsonNode json =
        parse(row("sensor-7", Stats.of(3, 9.5, -1.25, 7.0, 9.5 / 3), Timing.LATE, 2, false));

    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertEquals(
        List.of(
            "key",
            "window_start",
            "window_end",
            "count",
            "sum",
            "min",
            "max",
            "mean",
            "pane",
            "pane_index",
            "final"),
        names);
  }

  @Test
  public void toJson_valuesHaveTheirTypesAndExactValues() throws Exception {
    double mean = 9.5 / 3;

    JsonNode json =
        parse(row("sensor-7", Stats.of(3, 9.5, -1.25, 7.0, mean), Timing.LATE, 2, false));

    assertEquals("sensor-7", json.get("key").textValue());
    assertTrue(json.get("count").isIntegralNumber());
    assertEquals(3, json.get("count").longValue());
    assertEquals(9.5, json.get("sum").doubleValue(), 0.0);
    assertEquals(-1.25, json.get("min").doubleValue(), 0.0);
    assertEquals(7.0, json.get("max").doubleValue(), 0.0);
    assertEquals(
        Double.doubleToRawLongBits(mean),
        Double.doubleToRawLongBits(json.get("mean").doubleValue()));
    assertEquals("LATE", json.get("pane").textValue());
    assertEquals(2, json.get("pane_index").longValue());
    assertTrue(json.get("final").isBoolean());
    assertEquals(false, json.get("final").booleanValue());
  }

  @Test
  public void toJson_windowBoundsAreIso8601UtcWithZ() throws Exception {
    JsonNode json = parse(row("k", Stats.of(1, 1, 1, 1, 1), Timing.ON_TIME, 0, true));

    assertEquals("2026-11-25T10:00:00.000Z", json.get("window_start").textValue());
    assertEquals("2026-11-25T10:01:00.000Z", json.get("window_end").textValue());
    assertEquals(
        java.time.Instant.parse("2026-11-25T10:00:00Z"),
        java.time.Instant.parse(json.get("window_start").textValue()));
  }

  @Test
  public void toJson_globalWindowBoundsAreNull_andReadBackAsTheGlobalWindow() throws Exception {
    StatsRow global =
        StatsRow.of(
            "k",
            org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE,
            org.apache.beam.sdk.transforms.windowing.GlobalWindow.INSTANCE
                .maxTimestamp()
                .plus(org.joda.time.Duration.millis(1)),
            Stats.of(1, 1, 1, 1, 1),
            Timing.ON_TIME,
            0,
            true);

    JsonNode json = parse(global);

    assertTrue(json.get("window_start").isNull());
    assertTrue(json.get("window_end").isNull());
    assertEquals(global, StatsRow.fromJson(global.toJson()));
  }

  @Test
  public void toJson_windowBoundsAreUtc_whateverTheDefaultTimeZone() throws Exception {
    DateTimeZone saved = DateTimeZone.getDefault();
    try {
      DateTimeZone.setDefault(DateTimeZone.forID("Asia/Kolkata"));

      JsonNode json = parse(row("k", Stats.of(1, 1, 1, 1, 1), Timing.ON_TIME, 0, true));

      assertEquals("2026-11-25T10:00:00.000Z", json.get("window_start").textValue());
      assertEquals("2026-11-25T10:01:00.000Z", json.get("window_end").textValue());
    } finally {
      DateTimeZone.setDefault(saved);
    }
  }

  @Test
  public void toJson_escapesQuotesBackslashesControlCharactersAndUnicode() throws Exception {
    String key = "say \"hi\", \\path\\ \n\t\u0001 café 東京 🌡 \u2028";

    String text = row(key, Stats.of(1, 1, 1, 1, 1), Timing.ON_TIME, 0, true).toJson();

    assertTrue("one line: " + text, !text.contains("\n"));
    assertEquals(key, JSON.readTree(text).get("key").textValue());
  }

  @Test
  public void toJson_paneTimingNames() throws Exception {
    for (Timing timing : Timing.values()) {
      assertEquals(
          timing.name(),
          parse(row("k", Stats.of(1, 1, 1, 1, 1), timing, 0, true)).get("pane").textValue());
    }
    assertEquals(
        true,
        parse(row("k", Stats.of(1, 1, 1, 1, 1), Timing.ON_TIME, 0, true))
            .get("final")
            .booleanValue());
  }

  @Test
  public void toJson_extremeFiniteValuesRoundTrip() throws Exception {
    Stats stats =
        Stats.of(Long.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e-300);

    JsonNode json = parse(row("k", stats, Timing.ON_TIME, 0, true));

    assertEquals(Long.MAX_VALUE, json.get("count").longValue());
    assertEquals(-Double.MAX_VALUE, json.get("sum").doubleValue(), 0.0);
    assertEquals(Double.MIN_VALUE, json.get("max").doubleValue(), 0.0);
    assertEquals(1e-300, json.get("mean").doubleValue(), 0.0);
  }

  @Test
  public void fromJson_readsBackWhatToJsonWrote() {
    StatsRow row =
        row("say \"hi\" 東京", Stats.of(3, 9.5, -1.25, 7.0, 9.5 / 3), Timing.LATE, 2, true);

    assertEquals(row, StatsRow.fromJson(row.toJson()));
  }

  @Test
  public void fromJson_ignoresExtraFields() {
    StatsRow row = row("k", Stats.of(1, 2, 2, 2, 2), Timing.EARLY, 0, false);
    String json = row.toJson().replace("{", "{\"site\":\"north\",");

    assertEquals(row, StatsRow.fromJson(json));
  }

  @Test
  public void fromJson_missingField_isNamed() {
    String json = row("k", Stats.of(1, 2, 2, 2, 2), Timing.EARLY, 0, false).toJson();
    String withoutEnd = json.replaceAll("\"window_end\":\"[^\"]*\",", "");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StatsRow.fromJson(withoutEnd));

    assertThat(e.getMessage(), containsString("result row field 'window_end' is missing"));
  }

  @Test
  public void fromJson_fractionalPaneIndex_isRefused() {
    String json =
        row("k", Stats.of(1, 2, 2, 2, 2), Timing.EARLY, 0, false)
            .toJson()
            .replace("\"pane_index\":0", "\"pane_index\":0.5");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StatsRow.fromJson(json));

    assertThat(e.getMessage(), containsString("'pane_index' must be a whole number, got 0.5"));
  }

  @Test
  public void fromJson_badWindowTime_showsAValidOne() {
    String json =
        row("k", Stats.of(1, 2, 2, 2, 2), Timing.EARLY, 0, false)
            .toJson()
            .replace("2026-11-25T10:00:00.000Z", "yesterday");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StatsRow.fromJson(json));

    assertThat(e.getMessage(), containsString("'window_start' must be an ISO-8601 instant"));
    assertThat(e.getMessage(), containsString("2026-11-25T10:00:00.000Z, got \"yesterday\""));
  }

  @Test
  public void fromJson_notAnObject_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StatsRow.fromJson("[1,2]"));

    assertThat(e.getMessage(), containsString("a result row must be a JSON object, got [1,2]"));
  }

  private static StatsRow row(String key, Stats stats, Timing timing, long index, boolean isFinal) {
    return StatsRow.of(key, START, END, stats, timing, index, isFinal);
  }

  private static JsonNode parse(StatsRow row) throws Exception {
    return JSON.readTree(row.toJson());
  }
}
