package dev.streamfirst.transforms.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.testing.EventJson;
import java.time.ZoneOffset;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EventParserTest {
  private static final Instant T = Instant.parse("2026-11-25T10:00:03.250Z");

  /** {@code T} as epoch milliseconds, worked out independently ({@code date -u -d ... +%s%3N}). */
  private static final long T_MILLIS = 1_795_600_803_250L;

  private final EventParser parser = new EventParser(EventFields.defaults());

  // ---- valid events ----

  @Test
  public void isoInstantWithZ_isParsed() throws Exception {
    String line =
        "{\"id\":\"e-1\",\"key\":\"sensor-7\",\"ts\":\"2026-11-25T10:00:03.250Z\",\"value\":21.5}";

    assertEquals(Event.of("e-1", "sensor-7", T, 21.5, line), parser.parse(line));
  }

  @Test
  public void isoInstantWithPositiveOffset_isConvertedToUtc() throws Exception {
    String line =
        "{\"id\":\"e-1\",\"key\":\"k\",\"ts\":\"2026-11-25T15:30:03.250+05:30\",\"value\":1}";

    Event event = parser.parse(line);

    assertEquals(T, event.timestamp());
    assertEquals(T_MILLIS, event.timestamp().getMillis());
  }

  @Test
  public void isoInstantWithNegativeOffset_crossingMidnight_isConvertedToUtc() throws Exception {
    String line = "{\"id\":\"e-1\",\"key\":\"k\",\"ts\":\"2026-11-24T23:00:00-11:00\",\"value\":1}";

    assertEquals(Instant.parse("2026-11-25T10:00:00.000Z"), parser.parse(line).timestamp());
  }

  @Test
  public void isoInstantWithoutFraction_isParsed() throws Exception {
    String line = "{\"id\":\"e-1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:03Z\",\"value\":1}";

    assertEquals(T_MILLIS - 250, parser.parse(line).timestamp().getMillis());
  }

  @Test
  public void integerEpochMillis_isParsed() throws Exception {
    String line = "{\"id\":\"e-1\",\"key\":\"k\",\"ts\":" + T_MILLIS + ",\"value\":1}";

    assertEquals(T, parser.parse(line).timestamp());
  }

  @Test
  public void negativeEpochMillis_isBeforeTheEpoch() throws Exception {
    String line = "{\"id\":\"e-1\",\"key\":\"k\",\"ts\":-1500,\"value\":1}";

    assertEquals(Instant.parse("1969-12-31T23:59:58.500Z"), parser.parse(line).timestamp());
  }

  @Test
  public void valueAsIntegerOrExponent_isParsedAsDouble() throws Exception {
    assertEquals(
        42.0, parser.parse("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":42}").value(), 0.0);
    assertEquals(
        -1.25e-3,
        parser.parse("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":-1.25E-3}").value(),
        0.0);
  }

  @Test
  public void unicodeKeyAndId_areKeptExactly() throws Exception {
    String line = "{\"id\":\"événement-①\",\"key\":\"датчик/東京/🌡\",\"ts\":0,\"value\":1}";

    Event event = parser.parse(line);

    assertEquals("événement-①", event.id());
    assertEquals("датчик/東京/🌡", event.key());
  }

  @Test
  public void escapedUnicodeKey_isDecoded() throws Exception {
    String line = "{\"id\":\"a\",\"key\":\"caf\\u00e9 \\ud83c\\udf21\",\"ts\":0,\"value\":1}";

    assertEquals("café 🌡", parser.parse(line).key());
  }

  @Test
  public void keyWithQuotesCommasAndBackslashes_isUnescaped() throws Exception {
    String line =
        "{\"id\":\"a\",\"key\":\"say \\\"hi\\\", then \\\\leave, \\\"bye\\\"\",\"ts\":0,\"value\":1}";

    assertEquals("say \"hi\", then \\leave, \"bye\"", parser.parse(line).key());
  }

  @Test
  public void extraFields_areCarriedInPayloadExactly() throws Exception {
    String line =
        "  {\"id\":\"a\", \"meta\": {\"site\": \"b,1\", \"tags\": [1, 2.50, null]},"
            + " \"key\":\"k\",\"ts\":0,\"value\":1, \"note\":\"keep  spacing\"}\t";

    Event event = parser.parse(line);

    assertEquals(line, event.payload());
    assertEquals("a", event.id());
  }

  @Test
  public void customFieldNames_areRead() throws Exception {
    EventFields fields =
        EventFields.defaults()
            .withIdField("event_id")
            .withKeyField("device")
            .withTimestampField("event_time")
            .withValueField("reading");
    String line =
        "{\"event_id\":\"x-1\",\"device\":\"d-9\",\"event_time\":\"2026-11-25T10:00:03.250Z\","
            + "\"reading\":7.5,\"id\":\"ignored\",\"ts\":\"not a time\"}";

    assertEquals(Event.of("x-1", "d-9", T, 7.5, line), new EventParser(fields).parse(line));
  }

  @Test
  public void customFieldNames_missingCustomField_namesIt() {
    EventParser custom = new EventParser(EventFields.defaults().withTimestampField("event_time"));

    String reason = reasonFor(custom, "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1}");

    assertEquals("field 'event_time' is missing", reason);
  }

  @Test
  public void eventJsonBuilderLines_parseToTheEventTheyDescribe() throws Exception {
    EventJson json =
        EventJson.event("id \"1\", ü", "k,\\ \n🌡", T, 21.5)
            .with("unit", "°C")
            .with("ok", true)
            .with("n", 3L);

    assertEquals(
        Event.of("id \"1\", ü", "k,\\ \n🌡", T, 21.5, json.toJson()), parser.parse(json.toJson()));
    assertEquals(
        T, parser.parse(json.withOffset(ZoneOffset.ofHoursMinutes(5, 30)).toJson()).timestamp());
    assertEquals(T, parser.parse(json.withEpochMillis().toJson()).timestamp());
    assertThat(
        json.withOffset(ZoneOffset.ofHoursMinutes(5, 30)).toJson(),
        containsString("\"2026-11-25T15:30:03.250+05:30\""));
  }

  @Test
  public void eventJsonBuilder_invalidVariants_areRefusedNamingTheField() {
    EventJson base = EventJson.event("e-1", "k", T, 1.0);
    EventParser custom = new EventParser(EventFields.defaults().withTimestampField("event_time"));

    assertEquals("field 'key' is missing", reasonFor(base.without(EventJson.KEY).toJson()));
    assertEquals(
        "field 'value' must be a finite number, got null",
        reasonFor(base.withRaw(EventJson.VALUE, "null").toJson()));
    assertEquals("field 'ts' is missing", reasonFor(base.renamed("ts", "event_time").toJson()));
    assertEquals("field 'event_time' is missing", reasonFor(custom, base.toJson()));
  }

  // ---- invalid events: each names the field or the JSON problem ----

  @Test
  public void notJson_isRefused() {
    assertThat(reasonFor("hello, world"), startsWith("not valid JSON: "));
  }

  @Test
  public void truncatedObject_isRefused() {
    assertThat(reasonFor("{\"id\":\"a\",\"key\":"), startsWith("not valid JSON: "));
  }

  @Test
  public void jsonError_isOneLineWithColumn_withoutRepeatingThePayload() {
    String reason = reasonFor("{\"id\":\"secret-id\",\"key\":\"k\",\"value\":5");
    assertThat(
        reason,
        equalTo(
            "not valid JSON: Unexpected end-of-input: expected close marker for Object"
                + " (at column 38)"));
  }

  @Test
  public void jsonArray_isRefused() {
    assertEquals("expected a JSON object, got an array", reasonFor("[{\"id\":\"a\"}]"));
  }

  @Test
  public void numberAtTopLevel_isRefused() {
    assertEquals("expected a JSON object, got a number", reasonFor("42"));
  }

  @Test
  public void stringAtTopLevel_isRefused() {
    assertEquals("expected a JSON object, got a string", reasonFor("\"id\""));
  }

  @Test
  public void nullAtTopLevel_isRefused() {
    assertEquals("expected a JSON object, got null", reasonFor("null"));
  }

  @Test
  public void trailingGarbageAfterObject_isRefused() {
    assertThat(reasonFor(valid() + " x"), startsWith("not valid JSON: "));
  }

  @Test
  public void secondObjectAfterObject_isRefused() {
    assertThat(
        reasonFor(valid() + valid()),
        allOf(startsWith("not valid JSON: "), containsString("Trailing token")));
  }

  @Test
  public void duplicateFieldName_isRefusedNamingTheField() {
    String line = "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1,\"key\":\"other\"}";

    assertThat(reasonFor(line), allOf(startsWith("not valid JSON: "), containsString("'key'")));
  }

  @Test
  public void duplicateNestedFieldName_isRefused() {
    String line = "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1,\"m\":{\"x\":1,\"x\":2}}";

    assertThat(reasonFor(line), allOf(startsWith("not valid JSON: "), containsString("'x'")));
  }

  @Test
  public void missingId_namesIt() {
    assertEquals("field 'id' is missing", reasonFor("{\"key\":\"k\",\"ts\":0,\"value\":1}"));
  }

  @Test
  public void missingKey_namesIt() {
    assertEquals("field 'key' is missing", reasonFor("{\"id\":\"a\",\"ts\":0,\"value\":1}"));
  }

  @Test
  public void missingTs_namesIt() {
    assertEquals("field 'ts' is missing", reasonFor("{\"id\":\"a\",\"key\":\"k\",\"value\":1}"));
  }

  @Test
  public void missingValue_namesIt() {
    assertEquals("field 'value' is missing", reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":0}"));
  }

  @Test
  public void emptyObject_namesTheFirstMissingField() {
    assertEquals("field 'id' is missing", reasonFor("{}"));
  }

  @Test
  public void emptyId_isRefused() {
    assertEquals(
        "field 'id' must be a non-empty string, got \"\"",
        reasonFor("{\"id\":\"\",\"key\":\"k\",\"ts\":0,\"value\":1}"));
  }

  @Test
  public void emptyKey_isRefused() {
    assertEquals(
        "field 'key' must be a non-empty string, got \"\"",
        reasonFor("{\"id\":\"a\",\"key\":\"\",\"ts\":0,\"value\":1}"));
  }

  @Test
  public void idAsNumber_isRefused() {
    assertEquals(
        "field 'id' must be a non-empty string, got a number",
        reasonFor("{\"id\":17,\"key\":\"k\",\"ts\":0,\"value\":1}"));
  }

  @Test
  public void keyAsObject_isRefused() {
    assertEquals(
        "field 'key' must be a non-empty string, got an object",
        reasonFor("{\"id\":\"a\",\"key\":{},\"ts\":0,\"value\":1}"));
  }

  @Test
  public void tsUnparseable_isRefusedQuotingIt() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":\"yesterday\",\"value\":1}"),
        allOf(
            startsWith("field 'ts' must be an ISO-8601 instant"), containsString("\"yesterday\"")));
  }

  @Test
  public void tsAsFloat_isRefused() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":1795600803250.5,\"value\":1}"),
        allOf(
            startsWith("field 'ts' must be"),
            containsString("integer epoch milliseconds"),
            containsString("a number")));
  }

  @Test
  public void tsAsWholeFloat_isRefused() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":1.7956008032E12,\"value\":1}"),
        startsWith("field 'ts' must be"));
  }

  @Test
  public void tsLocalDateTimeWithoutOffset_isRefused() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:03.250\",\"value\":1}"),
        allOf(
            startsWith("field 'ts' must be an ISO-8601 instant with an offset"),
            containsString("\"2026-11-25T10:00:03.250\"")));
  }

  @Test
  public void tsDateOnly_isRefused() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":\"2026-11-25\",\"value\":1}"),
        startsWith("field 'ts' must be an ISO-8601 instant"));
  }

  @Test
  public void tsAsEpochMillisString_isRefused() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":\"1795600803250\",\"value\":1}"),
        startsWith("field 'ts' must be an ISO-8601 instant"));
  }

  @Test
  public void tsBeyondBeamsTimeRange_isRefused() {
    assertEquals(
        "field 'ts' is outside the supported time range",
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":9223372036854775807,\"value\":1}"));
  }

  @Test
  public void tsNull_isRefused() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":null,\"value\":1}"),
        allOf(startsWith("field 'ts' must be"), containsString("got null")));
  }

  @Test
  public void valueAsString_isRefused() {
    assertEquals(
        "field 'value' must be a finite number, got a string",
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":\"21.5\"}"));
  }

  @Test
  public void valueNull_isRefused() {
    assertEquals(
        "field 'value' must be a finite number, got null",
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":null}"));
  }

  @Test
  public void valueBoolean_isRefused() {
    assertEquals(
        "field 'value' must be a finite number, got a boolean",
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":true}"));
  }

  @Test
  public void valueHuge_isRefusedAsNotFinite() {
    assertEquals(
        "field 'value' must be a finite number, got Infinity",
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1e400}"));
  }

  @Test
  public void valueHugeNegativeInteger_isRefusedAsNotFinite() {
    String digits = "-1" + "0".repeat(400);

    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":" + digits + "}"),
        startsWith("field 'value' must be a finite number, got "));
  }

  @Test
  public void valueNaNToken_isRefused() {
    assertThat(
        reasonFor("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":NaN}"),
        startsWith("not valid JSON: "));
  }

  private static String valid() {
    return "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1}";
  }

  private String reasonFor(String payload) {
    return reasonFor(parser, payload);
  }

  private static String reasonFor(EventParser parser, String payload) {
    return assertThrows(InvalidEventException.class, () -> parser.parse(payload)).getMessage();
  }

  // ---- event time alone ----

  @Test
  public void eventTime_readsOnlyTheTimeField() throws Exception {
    // Not a valid event (no id, value is text), but its time is all a source needs.
    String line = "{\"ts\":\"2026-11-25T15:30:03.250+05:30\",\"value\":\"high\"}";

    assertEquals(T, parser.eventTime(line));
  }

  @Test
  public void eventTime_acceptsEpochMillisInARenamedField() throws Exception {
    EventParser renamed = new EventParser(EventFields.defaults().withTimestampField("at"));

    assertEquals(T, renamed.eventTime("{\"at\":" + T_MILLIS + "}"));
  }

  @Test
  public void eventTime_ofNonObjectOrBadTime_isRefusedWithTheReason() {
    InvalidEventException notObject =
        assertThrows(InvalidEventException.class, () -> parser.eventTime("[1]"));
    InvalidEventException badTime =
        assertThrows(InvalidEventException.class, () -> parser.eventTime("{\"ts\":\"yesterday\"}"));
    InvalidEventException notJson =
        assertThrows(InvalidEventException.class, () -> parser.eventTime("{\"ts\":"));

    assertThat(notObject.getMessage(), containsString("expected a JSON object, got an array"));
    assertThat(badTime.getMessage(), containsString("field 'ts' must be an ISO-8601 instant"));
    assertThat(notJson.getMessage(), startsWith("not valid JSON"));
  }
}
