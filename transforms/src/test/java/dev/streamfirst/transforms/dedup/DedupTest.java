package dev.streamfirst.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** Elements are {@code "id:payload"} strings; the id is the part before the colon. */
public class DedupTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration TTL = Duration.standardMinutes(10);
  private static final SerializableFunction<String, String> ID = s -> s.split(":")[0];

  private static TimestampedValue<String> at(String element, Duration offset) {
    return TimestampedValue.of(element, T0.plus(offset));
  }

  private static Duration sec(long s) {
    return Duration.standardSeconds(s);
  }

  @Test
  public void duplicateWithinTtl_isDropped() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:1", sec(1)), at("b:1", sec(2)))
            .addElements(at("a:1", sec(1)))
            .advanceWatermarkTo(T0.plus(sec(30)))
            .addElements(at("a:1", sec(1)), at("b:1", sec(2)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique = p.apply(events).apply(Dedup.byId(ID).withTtl(TTL));

    PAssert.that(unique).containsInAnyOrder("a:1", "b:1");
    p.run();
  }

  @Test
  public void duplicateAtOrAfterTtl_isEmittedAgain() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:first", sec(0)))
            .addElements(at("a:within", TTL.minus(Duration.millis(1))))
            .advanceWatermarkTo(T0.plus(TTL).plus(sec(30)))
            .addElements(at("a:again", TTL.plus(sec(40))))
            .advanceWatermarkToInfinity();

    PCollection<String> unique = p.apply(events).apply(Dedup.byId(ID).withTtl(TTL));

    PAssert.that(unique).containsInAnyOrder("a:first", "a:again");
    p.run();
  }

  @Test
  public void duplicateExactlyTtlLater_isEmittedAgain() {
    PCollection<String> unique =
        p.apply(
                Create.timestamped(at("a:first", sec(0)), at("a:second", TTL))
                    .withCoder(StringUtf8Coder.of()))
            .apply(Dedup.byId(ID).withTtl(TTL));

    PAssert.that(unique).containsInAnyOrder("a:first", "a:second");
    p.run();
  }

  @Test
  public void duplicateArrivingBeforeOriginal_earliestEventTimeWins() {
    // The copy stamped 20s arrives first; the event stamped 5s arrives later but is the original.
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:copy", sec(20)))
            .addElements(at("a:original", sec(5)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique = p.apply(events).apply(Dedup.byId(ID).withTtl(TTL));

    PAssert.that(unique).containsInAnyOrder("a:original");
    p.run();
  }

  @Test
  public void copiesInDifferentWindows_areCountedOnce() {
    // Original at 59s, copy at 61s: different one-minute windows, one id.
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:x", sec(61)), at("b:x", sec(10)))
            .addElements(at("a:x", sec(59)))
            .advanceWatermarkToInfinity();

    PCollection<Long> perWindow =
        p.apply(events)
            .apply(Dedup.byId(ID).withTtl(TTL))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(Combine.globally(Count.<String>combineFn()).withoutDefaults());

    IntervalWindow first = new IntervalWindow(T0, Duration.standardMinutes(1));
    IntervalWindow second = new IntervalWindow(T0.plus(Duration.standardMinutes(1)), first.end());
    PAssert.that(perWindow).inOnTimePane(first).containsInAnyOrder(2L);
    PAssert.that(perWindow).inWindow(second).empty();
    p.run();
  }

  @Test
  public void heldElements_areNotLateDownstream() {
    // Disordered input, watermark advancing in steps: every released element must still land in
    // the on-time pane of its window, because dedup holds the watermark while it waits.
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:1", sec(50)), at("b:1", sec(12)))
            .advanceWatermarkTo(T0.plus(sec(20)))
            .addElements(at("c:1", sec(59)), at("d:1", sec(21)), at("a:1", sec(50)))
            .advanceWatermarkTo(T0.plus(sec(58)))
            .addElements(at("e:1", sec(58)))
            .advanceWatermarkTo(T0.plus(sec(90)))
            .advanceWatermarkToInfinity();

    PCollection<Long> counts =
        p.apply(events)
            .apply(Dedup.byId(ID).withTtl(TTL))
            .apply(
                Window.<String>into(FixedWindows.of(Duration.standardMinutes(1)))
                    .withAllowedLateness(Duration.ZERO))
            .apply(Combine.globally(Count.<String>combineFn()).withoutDefaults());

    PAssert.that(counts)
        .inOnTimePane(new IntervalWindow(T0, Duration.standardMinutes(1)))
        .containsInAnyOrder(5L);
    p.run();
  }

  @Test
  public void manyIds_eachPassesOnce() {
    TestStream.Builder<String> builder = TestStream.create(StringUtf8Coder.of());
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 200; i++) {
        builder = builder.addElements(at("id" + i + ":v", sec(i % 50)));
      }
    }
    for (int i = 0; i < 200; i++) {
      expected.add("id" + i + ":v");
    }

    PCollection<String> unique =
        p.apply(builder.advanceWatermarkToInfinity()).apply(Dedup.byId(ID));

    PAssert.that(unique).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void boundedInput_isDecidedInManySmallGroups_notSixteen() {
    java.util.List<TimestampedValue<String>> input = new java.util.ArrayList<>();
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      int copies = 1 + i % 3;
      for (int c = 0; c < copies; c++) {
        input.add(at("id" + i + ":v", sec(i % 50 + c)));
      }
      expected.add("id" + i + ":v");
    }

    PCollection<String> unique =
        p.apply(Create.timestamped(input).withCoder(StringUtf8Coder.of()))
            .apply(Dedup.byId(ID).withTtl(TTL));
    PAssert.that(unique).containsInAnyOrder(expected);
    org.apache.beam.sdk.PipelineResult result = p.run();
    result.waitUntilFinish();

    // About 8,000 elements over 1,024 shards: a backfill spreads over as many workers, each
    // decision
    // holding about 8 elements (16 shards held 500 each).
    org.apache.beam.sdk.metrics.DistributionResult held =
        result
            .metrics()
            .queryMetrics(
                org.apache.beam.sdk.metrics.MetricsFilter.builder()
                    .addNameFilter(
                        org.apache.beam.sdk.metrics.MetricNameFilter.named(
                            BoundedEventTimeDedup.class,
                            BoundedEventTimeDedup.ELEMENTS_PER_DECISION))
                    .build())
            .getDistributions()
            .iterator()
            .next()
            .getAttempted();
    assertThat(held.getSum(), org.hamcrest.Matchers.is((long) input.size()));
    assertThat(held.getCount(), org.hamcrest.Matchers.greaterThan(900L));
    assertThat(held.getMax(), org.hamcrest.Matchers.lessThan(40L));
  }

  @Test
  public void largerBoundedInput_isDecidedInMoreGroups_eachNearTheGroupSize() {
    // 6,000 elements of 3,000 ids hashed into 2,000 groups: about 1,550 of them get an id (balls
    // into bins), holding about 3.9 elements each. The minimum of 1,024 groups would leave at most
    // 1,024 decisions of about 6.2 elements each, and more the larger the input.
    java.util.List<TimestampedValue<String>> input = new java.util.ArrayList<>();
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      for (int c = 0; c < 1 + i % 3; c++) {
        input.add(at("id" + i + ":v" + c, sec(i % 50 + new int[] {0, 300, 700}[c])));
      }
      expected.add("id" + i + ":v0");
      if (i % 3 == 2) {
        expected.add("id" + i + ":v2"); // 700 s after the first: beyond the TTL, passes again
      }
    }

    PCollection<String> unique =
        p.apply(Create.timestamped(input).withCoder(StringUtf8Coder.of()))
            .apply(Dedup.byId(ID).withTtl(TTL).withBoundedGroupSize(3));
    PAssert.that(unique).containsInAnyOrder(expected);
    org.apache.beam.sdk.PipelineResult result = p.run();
    result.waitUntilFinish();

    org.apache.beam.sdk.metrics.DistributionResult held = elementsPerDecision(result);
    assertThat(held.getSum(), org.hamcrest.Matchers.is((long) input.size()));
    assertThat(held.getCount(), org.hamcrest.Matchers.greaterThan(1_400L));
    assertThat(held.getMean(), org.hamcrest.Matchers.lessThanOrEqualTo(4.5));
  }

  private static org.apache.beam.sdk.metrics.DistributionResult elementsPerDecision(
      org.apache.beam.sdk.PipelineResult result) {
    return result
        .metrics()
        .queryMetrics(
            org.apache.beam.sdk.metrics.MetricsFilter.builder()
                .addNameFilter(
                    org.apache.beam.sdk.metrics.MetricNameFilter.named(
                        BoundedEventTimeDedup.class, BoundedEventTimeDedup.ELEMENTS_PER_DECISION))
                .build())
        .getDistributions()
        .iterator()
        .next()
        .getAttempted();
  }

  @Test
  public void sameEventTimeDifferentPayloads_otherArrivalOrder_sameCopyPasses() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:aaa", sec(3)))
            .advanceWatermarkTo(T0.plus(sec(1)))
            .addElements(at("a:zzz", sec(3)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique = p.apply(events).apply(Dedup.byId(ID));

    PAssert.that(unique).containsInAnyOrder("a:aaa");
    p.run();
  }

  @Test
  public void idIsSweptOnceTheWatermarkIsATtlPastIt_soACopyArrivingAfterThatPasses() {
    // Forgetting is what bounds memory by the ids within a TTL: once done, the id is gone, and a
    // copy that arrives that late (more than a TTL behind the watermark) is no longer recognised.
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:first", sec(0)))
            .advanceWatermarkTo(T0.plus(TTL.multipliedBy(4)))
            .addElements(at("a:copy", sec(1)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique = p.apply(events).apply(Dedup.byId(ID).withTtl(TTL));

    PAssert.that(unique).containsInAnyOrder("a:first", "a:copy");
    p.run();
  }

  @Test
  public void idIsRememberedUntilTheSweep_aCopyArrivingBeforeItIsDropped() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:first", sec(0)))
            .advanceWatermarkTo(T0.plus(TTL.dividedBy(2)))
            .addElements(at("a:copy", sec(1)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique = p.apply(events).apply(Dedup.byId(ID).withTtl(TTL));

    PAssert.that(unique).containsInAnyOrder("a:first");
    p.run();
  }

  @Test
  public void idsSharingAGroup_onlyTheExpiredAreForgotten_theOthersStayRemembered() {
    // One group holds both ids: its forget timer must drop "a" (a TTL behind the watermark) and
    // keep "b" (passed 9 minutes later), then fire again for "b".
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:first", sec(0)), at("b:first", sec(540)))
            .advanceWatermarkTo(T0.plus(sec(780)))
            .addElements(at("a:copy", sec(1)), at("b:copy", sec(541)))
            .advanceWatermarkTo(T0.plus(sec(1800)))
            .addElements(at("b:late-copy", sec(542)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique =
        p.apply(events).apply(Dedup.byId(ID).withTtl(TTL).withStreamingGroups(1));

    PAssert.that(unique).containsInAnyOrder("a:first", "b:first", "a:copy", "b:late-copy");
    p.run();
  }

  @Test
  public void manyIdsInFewGroups_eachPassesOnce_earliestCopyWins() {
    TestStream.Builder<String> builder = TestStream.create(StringUtf8Coder.of());
    java.util.List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // The later copy arrives first; the earlier one must still win.
      builder = builder.addElements(at("id" + i + ":later", sec(100 + i % 7)));
      builder = builder.addElements(at("id" + i + ":earlier", sec(i % 7)));
      expected.add("id" + i + ":earlier");
    }

    PCollection<String> unique =
        p.apply(builder.advanceWatermarkToInfinity())
            .apply(Dedup.byId(ID).withTtl(TTL).withStreamingGroups(3));

    PAssert.that(unique).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void processingTime_idsSharingAGroup_eachRememberedForItsOwnTtl() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:1", sec(1)))
            .advanceProcessingTime(Duration.standardMinutes(6))
            .addElements(at("b:1", sec(2)))
            .advanceProcessingTime(Duration.standardMinutes(8))
            .addElements(at("b:2", sec(3)))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(at("a:2", sec(4)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique =
        p.apply(events)
            .apply(Dedup.byId(ID).withTtl(TTL).inProcessingTime().withStreamingGroups(1));

    // b:2 comes 8 minutes after b:1 (within the TTL); a:2 comes 16 minutes after a:1, beyond 1.5 x
    // TTL, although b, in the same group, is still remembered.
    PAssert.that(unique).containsInAnyOrder("a:1", "b:1", "a:2");
    p.run();
  }

  @Test
  public void sameEventTimeDifferentPayloads_pickIsIndependentOfArrivalOrder() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:zzz", sec(3)))
            .addElements(at("a:aaa", sec(3)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique = p.apply(events).apply(Dedup.byId(ID));

    // Ties are broken by the element's encoding: "a:aaa" sorts first whatever arrives first.
    PAssert.that(unique).containsInAnyOrder("a:aaa");
    p.run();
  }

  @Test
  public void processingTime_duplicateWithinTtlDropped_afterTtlEmittedAgain() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a:1", sec(1)))
            .advanceProcessingTime(Duration.standardMinutes(4))
            .addElements(at("a:2", sec(500)))
            .advanceProcessingTime(Duration.standardMinutes(4))
            .addElements(at("a:3", sec(2)))
            .advanceProcessingTime(Duration.standardMinutes(8))
            .addElements(at("a:4", sec(3)))
            .advanceWatermarkToInfinity();

    PCollection<String> unique =
        p.apply(events).apply(Dedup.byId(ID).withTtl(TTL).inProcessingTime());

    // a:2 and a:3 arrive 4 and 8 minutes after a:1 (within the TTL); a:4 arrives 16 minutes
    // after, beyond 1.5 x TTL, so it passes again.
    PAssert.that(unique).containsInAnyOrder("a:1", "a:4");
    p.run();
  }

  @Test
  public void windowedInput_isRefusedWithReason() {
    PCollection<String> windowed =
        p.apply(Create.of("a:1")).apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> windowed.apply(Dedup.byId(ID)));
    assertThat(e.getMessage(), containsString("before windowing"));
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void invalidSettings_areRefusedWithTheFix() {
    Dedup<String> dedup = Dedup.byId(ID);
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> dedup.withTtl(Duration.ZERO))
            .getMessage(),
        containsString("withTtl() must be positive, got 0ms"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> Dedup.<String>byId(null)).getMessage(),
        containsString("needs an id function"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> dedup.withStreamingGroups(0))
            .getMessage(),
        containsString("withStreamingGroups() must be positive, got 0"));
  }
}
