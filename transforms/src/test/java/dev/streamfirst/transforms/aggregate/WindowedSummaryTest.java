package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.windowing.EventWindows;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import dev.streamfirst.transforms.windowing.WindowSpec;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class WindowedSummaryTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final IntervalWindow MINUTE = new IntervalWindow(T0, Duration.standardMinutes(1));

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void percentilesAndDistinct_perKeyAndWindow_inEveryPane() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", 1, 10, "a"), event("e2", 2, 20, "b"))
            .add(event("e3", 3, 30, "a"), event("e4", 4, 40, "c"))
            .add(event("e5", 5, 50, "a"))
            .advanceWatermarkToInfinity();

    PCollection<String> rows =
        p.apply(stream)
            .apply(ParseEvents.create())
            .output()
            .apply(
                EventWindows.<Event>of(WindowSpec.parse("fixed:1m"))
                    .withTrigger(TriggerPolicy.onTimeOnly().withEarlyFiringsEveryCount(4)))
            .apply(WithKeys.of(Event::key).withKeyType(TypeDescriptors.strings()))
            .apply(
                WindowedSummary.perKey(
                    Event::value,
                    (Event e) -> e.payload().replaceAll(".*\"site\":\"(\\w)\".*", "$1")))
            .apply(MapElements.into(TypeDescriptors.strings()).via(SummaryRow::toJson));

    PAssert.that(rows)
        .inEarlyPane(MINUTE)
        .containsInAnyOrder(
            "{\"key\":\"k\",\"window_start\":\"2026-11-25T10:00:00.000Z\",\"window_end\":"
                + "\"2026-11-25T10:01:00.000Z\",\"count\":4,\"sum\":100.0,\"min\":10.0,\"max\":40.0,"
                + "\"mean\":25.0,\"p50\":20.0,\"p95\":40.0,\"p99\":40.0,\"distinct\":3,"
                + "\"pane\":\"EARLY\",\"pane_index\":0,\"final\":false}");
    PAssert.that(rows)
        .inOnTimePane(MINUTE)
        .containsInAnyOrder(
            "{\"key\":\"k\",\"window_start\":\"2026-11-25T10:00:00.000Z\",\"window_end\":"
                + "\"2026-11-25T10:01:00.000Z\",\"count\":5,\"sum\":150.0,\"min\":10.0,\"max\":50.0,"
                + "\"mean\":30.0,\"p50\":30.0,\"p95\":50.0,\"p99\":50.0,\"distinct\":3,"
                + "\"pane\":\"ON_TIME\",\"pane_index\":1,\"final\":true}");
    p.run();
  }

  @Test
  public void sessionActivity_countsFirstAndLastPerSession() {
    TestStream<String> stream =
        EventTestStream.create()
            .add(event("e1", 0, 1, "a"), event("e2", 20, 1, "a"))
            .add(event("e3", 100, 1, "a"))
            .advanceWatermarkToInfinity();

    PCollection<SessionRow> sessions =
        p.apply(stream)
            .apply(ParseEvents.create())
            .output()
            .apply(EventWindows.<Event>of(WindowSpec.parse("session:30s")))
            .apply(
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptor.of(Instant.class)))
                    .via((Event e) -> KV.of(e.key(), e.timestamp())))
            .apply(SessionActivity.perKey());

    PAssert.that(sessions)
        .containsInAnyOrder(
            SessionRow.of("k", at(0), at(50), 2, at(0), at(20), Timing.ON_TIME, 0, true),
            SessionRow.of("k", at(100), at(130), 1, at(100), at(100), Timing.ON_TIME, 0, true));
    p.run();
  }

  private static EventJson event(String id, int second, double value, String site) {
    return EventJson.event(id, "k", at(second), value).with("site", site);
  }

  private static Instant at(int second) {
    return T0.plus(Duration.standardSeconds(second));
  }

  @Test
  public void perKey_null_isRefusedWithAnExample() {
    assertEquals(
        "WindowedSummary.perKey() needs a value function and a distinct-item function, e.g."
            + " perKey(Event::value, Event::id)",
        assertThrows(
                IllegalArgumentException.class,
                () -> WindowedSummary.<Event>perKey(Event::value, null))
            .getMessage());
  }
}
