package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Deduplicate;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Assert;
import org.junit.Rule;
import org.junit.Test;

/**
 * The same input through Beam's {@link Deduplicate} (event-time domain) and through {@link Dedup},
 * side by side, in cases where Beam's transform gets it wrong.
 *
 * <p>Beam's event-time {@code Deduplicate} keeps a flag per id and clears it with a timer set
 * {@code duration} after the <em>input watermark at arrival</em>, not after the element's event
 * time. When the watermark is far behind (at the start of a stream it is at the beginning of time)
 * the timer fires at the first watermark advance and the id is forgotten long before its TTL, so an
 * exact re-delivery passes again. And since the first <em>arrival</em> wins, which copy survives
 * depends on arrival order. Its timer's output timestamp is the end of the window (of the global
 * window here), after the timer's own firing time; Dataflow Runner v2 rejects such timers, which
 * cannot be shown on the DirectRunner. {@link Dedup} measures the TTL from event times, decides in
 * event-time order and holds the watermark with timers whose output timestamps never pass their
 * firing times.
 */
public class DedupVersusBeamDeduplicateTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration TTL = Duration.standardMinutes(10);
  private static final SerializableFunction<String, String> ID = s -> s.split(":")[0];

  private static TimestampedValue<String> at(String element, long seconds) {
    return TimestampedValue.of(element, T0.plus(Duration.standardSeconds(seconds)));
  }

  private static Deduplicate.WithRepresentativeValues<String, String> beams() {
    return Deduplicate.withRepresentativeValueFn(ID)
        .withRepresentativeType(TypeDescriptors.strings())
        .withTimeDomain(TimeDomain.EVENT_TIME)
        .withDuration(TTL);
  }

  @Test
  public void redeliveryAfterTheWatermarkFirstMoves_beamLeaksIt_dedupDropsIt() {
    // The same event twice, at the same event time, with the watermark moving 5 s in between:
    // both copies are on time and 0 s apart, well within the 10 minute TTL.
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:1", 10))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(5)))
            .addElements(at("a:1", 10))
            .advanceWatermarkToInfinity();
    PCollection<String> input = p.apply(events);

    PCollection<String> beam = input.apply("BeamDeduplicate", beams());
    PCollection<String> ours = input.apply("Dedup", Dedup.byId(ID).withTtl(TTL));

    PAssert.that(beam).containsInAnyOrder("a:1", "a:1");
    PAssert.that(ours).containsInAnyOrder("a:1");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Assert.assertEquals(1L, duplicatesDropped(result));
  }

  @Test
  public void laterCopyArrivingFirst_beamKeepsTheCopy_dedupKeepsTheOriginal() {
    // The copy (stamped 20 s) arrives before the original (stamped 5 s): with one-minute windows
    // they fall in the same window, with ten-second ones they would not. Beam keeps whichever
    // arrives first, so its result changes with arrival order; Dedup keeps the earliest event.
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:copy", 20))
            .addElements(at("a:original", 5))
            .advanceWatermarkToInfinity();
    PCollection<String> input = p.apply(events);

    PCollection<String> beam = input.apply("BeamDeduplicate", beams());
    PCollection<String> ours = input.apply("Dedup", Dedup.byId(ID).withTtl(TTL));

    PAssert.that(beam).containsInAnyOrder("a:copy");
    PAssert.that(ours).containsInAnyOrder("a:original");
    p.run();
  }

  private static long duplicatesDropped(PipelineResult result) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            StreamfirstMetrics.NAMESPACE, StreamfirstMetrics.DUPLICATES_DROPPED))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
