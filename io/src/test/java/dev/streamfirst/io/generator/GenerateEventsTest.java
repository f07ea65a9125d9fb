package dev.streamfirst.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import dev.streamfirst.io.Sources;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class GenerateEventsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void bounded_yieldsExactlyThePureGeneratorsMessages() {
    GeneratorSpec spec =
        GeneratorSpec.parse(
            "generator://events?count=400&duplicates=0.1&malformed=0.1&late=0.1&disorder=1s");

    PCollection<String> payloads = p.apply(GenerateEvents.from(spec));

    assertEquals(PCollection.IsBounded.BOUNDED, payloads.isBounded());
    PAssert.that(payloads).containsInAnyOrder(new EventGenerator(spec).payloads());
    p.run().waitUntilFinish();
  }

  @Test
  public void bounded_stampsEachMessageWithItsEventTime() {
    GeneratorSpec spec =
        GeneratorSpec.parse("generator://events?count=200&duplicates=0.2&late=0.1&disorder=5s");
    EventGenerator generator = new EventGenerator(spec);
    List<String> expected = new ArrayList<>();
    for (long position = 0; position < generator.size(); position++) {
      for (long index : generator.deliveredAt(position)) {
        expected.add(generator.eventTime(index) + " " + generator.message(index));
      }
    }

    PCollection<String> stamped =
        p.apply(GenerateEvents.from(spec)).apply(ParDo.of(new WithTimestampFn()));

    PAssert.that(stamped).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void sourcesRead_buildsTheGenerator() {
    PCollection<String> payloads = p.apply(Sources.read("generator://events?count=50&seed=3"));

    PAssert.that(payloads)
        .containsInAnyOrder(
            new EventGenerator(GeneratorSpec.parse("generator://events?count=50&seed=3"))
                .payloads());
    p.run().waitUntilFinish();
  }

  @Test
  public void unboundedWithCount_finishesWithExactlyThePureGeneratorsMessages() {
    GeneratorSpec spec =
        GeneratorSpec.parse(
            "generator://events?rate=2000&count=300&duplicates=0.2&malformed=0.1&disorder=2s");

    PCollection<String> payloads = p.apply(GenerateEvents.from(spec));

    assertEquals(PCollection.IsBounded.UNBOUNDED, payloads.isBounded());
    PAssert.that(payloads).containsInAnyOrder(new EventGenerator(spec).payloads());
    p.run().waitUntilFinish();
  }

  @Test
  public void unbounded_disorderedEventsAndCopiesAreNotLate() {
    // 400 events half a millisecond apart, moved back by up to 2 s, in 100 ms windows with no
    // allowed lateness: a watermark that ignored the disorder would drop most of them.
    GeneratorSpec spec =
        GeneratorSpec.parse("generator://events?rate=2000&count=400&disorder=2s&duplicates=0.2");
    long expected = new EventGenerator(spec).payloads().size();

    PCollection<Long> counted = countInOnTimeWindows(p.apply(GenerateEvents.from(spec)));

    PAssert.thatSingleton(counted).isEqualTo(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void unbounded_lateEventsArriveBehindTheWatermark() {
    GeneratorSpec spec =
        GeneratorSpec.parse("generator://events?rate=2000&count=400&late=0.25&disorder=1s");
    EventGenerator generator = new EventGenerator(spec);
    long onTime = 0;
    for (long i = 0; i < generator.size(); i++) {
      onTime += generator.isLate(i) ? 0 : 1;
    }
    long onTimeEvents = onTime;

    PCollection<Long> counted = countInOnTimeWindows(p.apply(GenerateEvents.from(spec)));

    // Every on-time event is counted; late ones are dropped once the runner knows the source's
    // watermark (the first bundles of each split come before that, so some late ones may pass).
    PAssert.thatSingleton(counted)
        .satisfies(
            total -> {
              assertThat(total, both(greaterThanOrEqualTo(onTimeEvents)).and(lessThan(400L)));
              return null;
            });
    p.run().waitUntilFinish();
  }

  private static PCollection<Long> countInOnTimeWindows(PCollection<String> payloads) {
    return payloads
        .apply(
            "FixedWindows",
            Window.<String>into(FixedWindows.of(Duration.millis(100)))
                .withAllowedLateness(Duration.ZERO))
        .apply("CountPerWindow", Combine.globally(Count.<String>combineFn()).withoutDefaults())
        .apply(
            "Regroup",
            Window.<Long>into(new GlobalWindows())
                .triggering(AfterWatermark.pastEndOfWindow())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("Total", Sum.longsGlobally());
  }

  private static final class WithTimestampFn extends DoFn<String, String> {
    @ProcessElement
    public void process(
        @Element String payload, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      out.output(timestamp + " " + payload);
    }
  }
}
