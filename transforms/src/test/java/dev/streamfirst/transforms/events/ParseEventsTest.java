package dev.streamfirst.transforms.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class ParseEventsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void validEvents_areTimestampedWithTheirEventTime() {
    PCollection<String> lines =
        p.apply(
            Create.of(
                "{\"id\":\"z\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:03.250Z\",\"value\":1}",
                "{\"id\":\"offset\",\"key\":\"k\",\"ts\":\"2026-11-25T15:30:04+05:30\",\"value\":2}",
                "{\"id\":\"millis\",\"key\":\"k\",\"ts\":1795600805000,\"value\":3}"));

    PCollection<String> stamped =
        lines.apply(ParseEvents.create()).output().apply(ParDo.of(new IdAtTimestampFn()));

    PAssert.that(stamped)
        .containsInAnyOrder(
            "z@2026-11-25T10:00:03.250Z",
            "offset@2026-11-25T10:00:04.000Z",
            "millis@2026-11-25T10:00:05.000Z");
    p.run();
  }

  @Test
  public void validEvents_fallIntoTheWindowsOfTheirEventTime() {
    Instant t1 = T0.plus(Duration.standardSeconds(10));
    Instant t2 = T0.plus(Duration.standardSeconds(70));
    // The lines arrive stamped at a processing time far from their event times; parsing moves them.
    PCollection<String> lines =
        p.apply(
            EventTestStream.create()
                .addLines(
                    T0.plus(Duration.standardHours(5)),
                    EventJson.event("a", "k", t1, 1).toJson(),
                    EventJson.event("b", "k", t2, 2).withEpochMillis().toJson(),
                    EventJson.event("c", "k", t2, 3).withOffset(ZoneOffset.ofHours(-8)).toJson())
                .advanceWatermarkToInfinity());

    PCollection<String> ids =
        lines
            .apply(ParseEvents.create())
            .output()
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(MapElements.into(TypeDescriptors.strings()).via(Event::id));

    PAssert.that(ids)
        .inWindow(new IntervalWindow(T0, Duration.standardMinutes(1)))
        .containsInAnyOrder("a");
    PAssert.that(ids)
        .inWindow(
            new IntervalWindow(T0.plus(Duration.standardMinutes(1)), Duration.standardMinutes(1)))
        .containsInAnyOrder("b", "c");
    p.run();
  }

  @Test
  public void eachInvalidInput_becomesExactlyOneDeadLetter_withExactPayloadStageAndReason() {
    Map<String, String> reasons = new HashMap<>();
    reasons.put("not json at all", "not valid JSON: ");
    reasons.put("[1,2,3]", "expected a JSON object, got an array");
    reasons.put("17", "expected a JSON object, got a number");
    reasons.put("\"text\"", "expected a JSON object, got a string");
    reasons.put("{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1} trailing", "not valid JSON: ");
    reasons.put(
        "{\"id\":\"a\",\"id\":\"b\",\"key\":\"k\",\"ts\":0,\"value\":1}",
        "not valid JSON: Duplicate field 'id'");
    reasons.put("{\"key\":\"k\",\"ts\":0,\"value\":1}", "field 'id' is missing");
    reasons.put("{\"id\":\"a\",\"ts\":0,\"value\":1}", "field 'key' is missing");
    reasons.put("{\"id\":\"a\",\"key\":\"k\",\"value\":1}", "field 'ts' is missing");
    reasons.put("{\"id\":\"a\",\"key\":\"k\",\"ts\":0}", "field 'value' is missing");
    reasons.put(
        "{\"id\":\"\",\"key\":\"k\",\"ts\":0,\"value\":1}",
        "field 'id' must be a non-empty string");
    reasons.put(
        "{\"id\":5,\"key\":\"k\",\"ts\":0,\"value\":1}",
        "field 'id' must be a non-empty string, got a number");
    reasons.put(
        "{\"id\":\"a\",\"key\":\"k\",\"ts\":\"soon\",\"value\":1}",
        "field 'ts' must be an ISO-8601 instant");
    reasons.put("{\"id\":\"a\",\"key\":\"k\",\"ts\":12.5,\"value\":1}", "field 'ts' must be");
    reasons.put(
        "{\"id\":\"a\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00\",\"value\":1}",
        "field 'ts' must be an ISO-8601 instant with an offset");
    reasons.put(
        "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":\"1\"}",
        "field 'value' must be a finite number, got a string");
    reasons.put(
        "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":null}",
        "field 'value' must be a finite number, got null");
    reasons.put(
        "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1e400}",
        "field 'value' must be a finite number, got ");
    List<String> lines = new ArrayList<>(reasons.keySet());
    lines.add("{\"id\":\"ok\",\"key\":\"k\",\"ts\":0,\"value\":1}");
    Instant before = Instant.now();

    Result<Event> parsed = p.apply(Create.of(lines)).apply(ParseEvents.create());

    PAssert.that(parsed.output().apply(MapElements.into(TypeDescriptors.strings()).via(Event::id)))
        .containsInAnyOrder("ok");
    PAssert.that(parsed.deadLetters())
        .satisfies(
            letters -> {
              Map<String, Integer> seen = new HashMap<>();
              for (DeadLetter letter : letters) {
                seen.merge(letter.payload(), 1, Integer::sum);
                String expected = reasons.get(letter.payload());
                assertTrue("unexpected payload " + letter.payload(), expected != null);
                assertThat(letter.payload(), letter.error(), startsWith(expected));
                assertEquals(ParseEvents.STAGE, letter.stage());
                assertEquals("parse", letter.stage());
                assertFalse(letter.timestamp().isBefore(before));
                assertFalse(letter.timestamp().isAfter(Instant.now()));
              }
              assertEquals(reasons.keySet(), seen.keySet());
              seen.forEach((payload, n) -> assertEquals(payload, 1, (int) n));
              return null;
            });
    p.run();
  }

  @Test
  public void eventsFarAheadOfTheClock_becomeDeadLetters_slightlyAheadPass() {
    Instant now = Instant.now();
    String slightlyAhead =
        "{\"id\":\"near\",\"key\":\"k\",\"ts\":"
            + now.plus(Duration.standardMinutes(30)).getMillis()
            + ",\"value\":1}";
    String farAhead = "{\"id\":\"far\",\"key\":\"k\",\"ts\":\"2099-01-01T00:00:00Z\",\"value\":1}";
    Result<Event> parsed =
        p.apply(Create.of(slightlyAhead, farAhead))
            .apply(ParseEvents.create().withMaxFuture(Duration.standardHours(1)));

    PAssert.that(parsed.output().apply(MapElements.into(TypeDescriptors.strings()).via(Event::id)))
        .containsInAnyOrder("near");
    PAssert.that(parsed.deadLetters())
        .satisfies(
            letters -> {
              List<DeadLetter> all = new ArrayList<>();
              letters.forEach(all::add);
              assertEquals(1, all.size());
              DeadLetter letter = all.get(0);
              assertEquals(farAhead, letter.payload());
              assertEquals(ParseEvents.STAGE, letter.stage());
              assertThat(letter.error(), startsWith("field 'ts' is 2099-01-01T00:00:00.000Z, "));
              assertThat(letter.error(), containsString(" days ahead of the clock ("));
              assertThat(letter.error(), containsString("more than 1h ahead are refused"));
              return null;
            });
    p.run();
  }

  @Test
  public void maxFuture_mustBePositive() {
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> ParseEvents.create().withMaxFuture(Duration.ZERO))
            .getMessage(),
        containsString("withMaxFuture() must be positive, got 0ms"));
  }

  @Test
  public void blankAndWhitespaceOnlyLines_areSkipped_withoutDeadLetters() {
    Result<Event> parsed =
        p.apply(
                Create.of(
                    "",
                    " ",
                    "\t",
                    "\n",
                    " \r\n ",
                    "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1}"))
            .apply(ParseEvents.create());

    PAssert.that(parsed.output().apply(MapElements.into(TypeDescriptors.strings()).via(Event::id)))
        .containsInAnyOrder("a");
    PAssert.that(parsed.deadLetters()).empty();
    p.run();
  }

  @Test
  public void extraFields_areCarriedInPayloadExactly() {
    String line =
        "{ \"id\" : \"a\", \"key\":\"k\", \"ts\":0, \"value\":1.50, \"meta\":{\"b\":[1,\"x, y\"]} }";

    PCollection<Event> events = p.apply(Create.of(line)).apply(ParseEvents.create()).output();

    PAssert.that(events).containsInAnyOrder(Event.of("a", "k", new Instant(0), 1.5, line));
    p.run();
  }

  @Test
  public void customFieldNames_areUsed() {
    EventFields fields =
        EventFields.defaults()
            .withIdField("uuid")
            .withKeyField("device")
            .withTimestampField("event_time")
            .withValueField("reading");
    String good =
        "{\"uuid\":\"u-1\",\"device\":\"d\",\"event_time\":\"2026-11-25T10:00:00Z\",\"reading\":4}";
    String canonical = "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1}";

    Result<Event> parsed =
        p.apply(Create.of(good, canonical)).apply(ParseEvents.withFields(fields));

    PAssert.that(parsed.output()).containsInAnyOrder(Event.of("u-1", "d", T0, 4, good));
    PAssert.that(parsed.deadLetters())
        .satisfies(
            letters -> {
              DeadLetter only = letters.iterator().next();
              assertEquals(canonical, only.payload());
              assertEquals("field 'uuid' is missing", only.error());
              assertEquals(1, count(letters));
              return null;
            });
    p.run();
  }

  @Test
  public void counters_countReadValidAndDeadLetteredPayloads() {
    p.apply(
            Create.of(
                "",
                "   ",
                "{\"id\":\"a\",\"key\":\"k\",\"ts\":0,\"value\":1}",
                "{\"id\":\"b\",\"key\":\"k\",\"ts\":0,\"value\":2}",
                "oops"))
        .apply(ParseEvents.create());

    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals(3, counter(result, StreamfirstMetrics.EVENTS_READ));
    assertEquals(2, counter(result, StreamfirstMetrics.EVENTS_VALID));
    assertEquals(1, counter(result, StreamfirstMetrics.DEAD_LETTERS));
  }

  @Test
  public void displayData_namesTheFields() {
    DisplayData data =
        DisplayData.from(
            ParseEvents.withFields(EventFields.defaults().withTimestampField("event_time")));

    assertThat(data.toString(), containsString("event_time"));
    assertEquals("event_time", item(data, "timestampField"));
    assertEquals("id", item(data, "idField"));
    assertEquals("key", item(data, "keyField"));
    assertEquals("value", item(data, "valueField"));
  }

  @Test
  public void withFieldsNull_isRefusedWithAMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ParseEvents.withFields(null));

    assertEquals("withFields() needs field names, got null", e.getMessage());
  }

  private static String item(DisplayData data, String key) {
    return data.items().stream()
        .filter(i -> i.getKey().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no display item " + key))
        .getValue()
        .toString();
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(StreamfirstMetrics.NAMESPACE, name))
                    .build());
    long total = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  /** Outputs {@code id@timestamp}, the element timestamp as Beam sees it. */
  private static final class IdAtTimestampFn extends DoFn<Event, String> {
    @ProcessElement
    public void process(
        @Element Event event, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      out.output(event.id() + "@" + timestamp);
    }
  }
}
