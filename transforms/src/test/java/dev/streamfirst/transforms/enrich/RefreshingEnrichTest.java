package dev.streamfirst.transforms.enrich;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
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

  /** A table whose account is DE, then PL, then FR on its third read. */
  private static final class ThreeReads implements ReferenceTable {
    private static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();
    private final String name;

    ThreeReads(String name) {
      this.name = name;
      READS.put(name, new AtomicInteger());
    }

    @Override
    public Map<String, String> readAll() {
      int read = READS.get(name).incrementAndGet();
      String country = read == 1 ? "DE" : read == 2 ? "PL" : "FR";
      return Map.of("acct-1", "{\"country\":\"" + country + "\"}");
    }

    int reads() {
      return READS.get(name).get();
    }

    @Override
    public String toString() {
      return "ThreeReads(" + name + ")";
    }
  }

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

  @Test
  public void slowerReadOfAnEarlierRefresh_doesNotReplaceTheNewerCopy() {
    ThreeReads table = new ThreeReads("slower-older-read");
    PCollection<String> lines =
        p.apply(
            EventTestStream.create()
                .add(
                    EventJson.event("before-1", "acct-1", T0, 10),
                    EventJson.event("before-2", "acct-1", T0.plus(1_000), 20))
                .advanceWatermarkTo(T0.plus(1_000))
                .advanceProcessingTime(Duration.standardMinutes(1))
                // The refresh of 10:00:02 reads PL ...
                .addLines(T0.plus(2_000), REFRESH)
                .advanceProcessingTime(Duration.standardMinutes(1))
                // ... and the refresh of 10:00:01.5, slower, finishes after it, with FR.
                .addLines(T0.plus(1_500), REFRESH)
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

    // The copy in use is the one of the latest refresh, not the last read to finish.
    PAssert.that(countries)
        .containsInAnyOrder("before-1:DE", "before-2:DE", "after-1:PL", "after-2:PL");
    p.run().waitUntilFinish();
    assertEquals(3, table.reads());
  }

  private static final java.util.Queue<String> SEEN =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Keeps what it sees where the test can look while the pipeline runs. */
  private static final class Remember extends DoFn<String, Void> {
    @ProcessElement
    public void process(@Element String country) {
      SEEN.add(country);
    }
  }

  @Test
  public void refreshedEvery_rereadsTheTableWhileTheStreamRuns() throws Exception {
    MovingAccount table = new MovingAccount("every");
    SEEN.clear();
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("Ticks", GenerateSequence.from(0).withRate(20, Duration.standardSeconds(1)))
        .apply(
            "Events",
            MapElements.into(TypeDescriptor.of(Event.class))
                .via(n -> Event.of("e-" + n, "acct-1", Instant.now(), n, "{}")))
        .setCoder(EventCoder.of())
        .apply(Enrich.fromTable(table).refreshedEvery(Duration.millis(300)))
        .output()
        .apply(
            "Countries",
            MapElements.into(TypeDescriptors.strings())
                .via(e -> e.referenceField("country").asText()))
        .apply("Remember", ParDo.of(new Remember()));

    PipelineResult run = pipeline.run();
    try {
      long deadline = System.currentTimeMillis() + 60_000;
      while (!SEEN.contains("PL") && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
    } finally {
      run.cancel();
    }

    // Only a re-read says PL: the table was read again, periodically, while the stream ran.
    assertTrue("seen: " + SEEN.size() + " " + Set.copyOf(SEEN), SEEN.contains("PL"));
    assertTrue("reads: " + table.reads(), table.reads() >= 2);
  }
}
