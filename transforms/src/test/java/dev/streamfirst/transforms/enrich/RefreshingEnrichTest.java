package dev.streamfirst.transforms.enrich;

import static org.junit.Assert.assertEquals;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Slowly changing reference data: the table changes while the stream runs, and events that come
 * after the next re-read see the new record while earlier ones kept the old.
 */
public class RefreshingEnrichTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String REFRESH = "refresh";
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  /** A table whose account moves from DE to PL from its second read on. */
  private static final class MovingAccount implements ReferenceTable {
    private static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();
    private final String name;

    MovingAccount(String name) {
      this.name = name;
      READS.put(name, new AtomicInteger());
    }

    @Override
    public Map<String, String> readAll() {
      int read = READS.get(name).incrementAndGet();
      return Map.of("acct-1", "{\"country\":\"" + (read == 1 ? "DE" : "PL") + "\"}");
    }

    int reads() {
      return READS.get(name).get();
    }

    @Override
    public String toString() {
      return "MovingAccount(" + name + ")";
    }
  }

  @Test
  public void tableChangedMidStream_laterEventsSeeTheNewRecord() {
    MovingAccount table = new MovingAccount("mid-stream");
    PCollection<String> lines =
        p.apply(
            EventTestStream.create()
                .add(
                    EventJson.event("before-1", "acct-1", T0, 10),
                    EventJson.event("before-2", "acct-1", T0.plus(1_000), 20))
                .advanceWatermarkTo(T0.plus(2_000))
                .advanceProcessingTime(Duration.standardMinutes(1))
                .addLines(T0.plus(2_000), REFRESH)
                .advanceProcessingTime(Duration.standardMinutes(1))
                .add(
                    EventJson.event("after-1", "acct-1", T0.plus(3_000), 30),
                    EventJson.event("after-2", "acct-1", T0.plus(4_000), 40))
                .advanceWatermarkToInfinity());
    PCollection<String> signals = lines.apply("Signals", Filter.equal(REFRESH));
    PCollection<Event> events =
        lines
            .apply("NotSignals", Filter.by((String line) -> !line.equals(REFRESH)))
            .apply(ParseEvents.create())
            .output();

    PCollection<String> countries =
        events
            .apply(Enrich.fromTable(table).refreshedOn(signals))
            .output()
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(e -> e.element().id() + ":" + e.referenceField("country").asText()));

    PAssert.that(countries)
        .containsInAnyOrder("before-1:DE", "before-2:DE", "after-1:PL", "after-2:PL");
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(2, table.reads());
    assertEquals(2, EnrichTestEvents.counter(run, StreamfirstMetrics.ENRICH_TABLE_READS));
  }
}
