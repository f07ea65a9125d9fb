package dev.streamfirst.transforms.aggregate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** A bundle's values folded into one partial per window and shard, stamped at the window's end. */
public class CombineInBundleFnTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00.000Z");
  private static final Duration MINUTE = Duration.standardMinutes(1);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void oneBundle_givesOnePartialPerWindowAndShard_atTheWindowsEnd() {
    TestStream<KV<String, Double>> stream =
        values()
            .addElements(at("a", 1, 5), at("a", 2, 20), at("b", 3, 30), at("a", 4, 70))
            .advanceWatermarkToInfinity();

    PCollection<String> partials = partials(stream, new CombineInBundleFn(1));

    PAssert.that(partials)
        .containsInAnyOrder(
            "10:00:59.999 shard 0 {a=2/3.0, b=1/3.0}", "10:01:59.999 shard 0 {a=1/4.0}");
    p.run();
  }

  @Test
  public void separateBundles_areNotMerged_andKeysGoToTheirShards() {
    TestStream<KV<String, Double>> stream =
        values()
            .addElements(at("a", 1, 5), at("b", 2, 6))
            .addElements(at("a", 5, 7))
            .advanceWatermarkToInfinity();

    // "a" and "b" differ in hash parity, so with two shards they part.
    PCollection<String> partials = partials(stream, new CombineInBundleFn(2));

    int a = Math.floorMod("a".hashCode(), 2);
    int b = Math.floorMod("b".hashCode(), 2);
    PAssert.that(partials)
        .containsInAnyOrder(
            "10:00:59.999 shard " + a + " {a=1/1.0}",
            "10:00:59.999 shard " + b + " {b=1/2.0}",
            "10:00:59.999 shard " + a + " {a=1/5.0}");
    p.run();
  }

  @Test
  public void reachingTheHeldKeyLimit_emitsBeforeTheBundleEnds_withNothingLost() {
    TestStream<KV<String, Double>> stream =
        values()
            .addElements(at("a", 1, 5), at("b", 2, 6), at("c", 3, 7), at("a", 4, 8))
            .advanceWatermarkToInfinity();

    PCollection<String> partials = partials(stream, new CombineInBundleFn(1, 2));

    PAssert.that(partials)
        .containsInAnyOrder(
            "10:00:59.999 shard 0 {a=1/1.0, b=1/2.0}", "10:00:59.999 shard 0 {a=1/4.0, c=1/3.0}");
    p.run();
  }

  @Test
  public void theLimitCountsKeysOverAllWindows_andFlushesEveryWindowInItsOwnWindow() {
    // Minutes 0, 1 and 2: a bundle of a whole batch split sees many windows; the limit is on all.
    TestStream<KV<String, Double>> stream =
        values()
            .addElements(
                at("a", 1, 5),
                at("b", 2, 65),
                at("a", 3, 10),
                at("c", 4, 130),
                at("a", 5, 70),
                at("a", 6, 15))
            .advanceWatermarkToInfinity();

    PCollection<String> partials = partials(stream, new CombineInBundleFn(1, 3));

    // a, b and c (three keys, three windows) are emitted together when c arrives, each partial
    // in its own window and stamped at that window's end (DescribeFn checks both).
    PAssert.that(partials)
        .containsInAnyOrder(
            "10:00:59.999 shard 0 {a=2/4.0}",
            "10:01:59.999 shard 0 {b=1/2.0}",
            "10:02:59.999 shard 0 {c=1/4.0}",
            "10:01:59.999 shard 0 {a=1/5.0}",
            "10:00:59.999 shard 0 {a=1/6.0}");
    p.run();
  }

  @Test
  public void heldKeys_stayBelowTheLimit_afterEveryElement() {
    CombineInBundleFn fn = new CombineInBundleFn(4, 5);
    List<String> emitted = new ArrayList<>();
    DoFn.OutputReceiver<KV<Integer, Map<String, StatsFn.Accumulator>>> out =
        new DoFn.OutputReceiver<>() {
          @Override
          public void output(KV<Integer, Map<String, StatsFn.Accumulator>> partial) {
            throw new AssertionError("a partial must name its window");
          }

          @Override
          public void outputWithTimestamp(
              KV<Integer, Map<String, StatsFn.Accumulator>> partial, Instant timestamp) {
            throw new AssertionError("a partial must name its window");
          }

          @Override
          public void outputWindowedValue(
              KV<Integer, Map<String, StatsFn.Accumulator>> partial,
              Instant timestamp,
              Collection<? extends BoundedWindow> windows,
              PaneInfo pane) {
            partial.getValue().forEach((key, a) -> emitted.add(key + "=" + a.count));
          }
        };

    fn.startBundle();
    int events = 0;
    for (int minute = 0; minute < 7; minute++) {
      IntervalWindow window = new IntervalWindow(T0.plus(MINUTE.multipliedBy(minute)), MINUTE);
      for (int key = 0; key < 3; key++) {
        fn.process(KV.of("k" + key, 1.0), window, out);
        events++;
        assertThat(fn.heldKeys(), lessThan(5));
      }
    }

    // 21 (window, key) pairs: flushed at 5, 10, 15 and 20; one is still held.
    assertEquals(events - 1, emitted.size());
    assertEquals(1, fn.heldKeys());
  }

  @Test
  public void aLimitBelowOne_isRefusedAtConstruction() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CombineInBundleFn(32, 0));
    assertThat(e.getMessage(), containsString("maxHeldKeys"));
  }

  private static TestStream.Builder<KV<String, Double>> values() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()));
  }

  private static TimestampedValue<KV<String, Double>> at(String key, double value, int second) {
    return TimestampedValue.of(KV.of(key, value), T0.plus(Duration.standardSeconds(second)));
  }

  private PCollection<String> partials(
      TestStream<KV<String, Double>> stream, CombineInBundleFn fn) {
    return p.apply(stream)
        .apply(Window.into(FixedWindows.of(MINUTE)))
        .apply("CombineInBundle", ParDo.of(fn))
        .setCoder(KvCoder.of(VarIntCoder.of(), KeyedPartialStatsFn.partialsCoder()))
        .apply("Describe", ParDo.of(new DescribeFn()));
  }

  /** "window-end-time shard N {key=count/sum, ...}", checking the partial's window too. */
  private static final class DescribeFn
      extends DoFn<KV<Integer, Map<String, StatsFn.Accumulator>>, String> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Map<String, StatsFn.Accumulator>> partial,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        OutputReceiver<String> out) {
      if (!timestamp.equals(window.maxTimestamp()) || !(window instanceof IntervalWindow)) {
        throw new AssertionError("partial at " + timestamp + " in " + window);
      }
      Map<String, String> keys = new TreeMap<>();
      partial.getValue().forEach((key, a) -> keys.put(key, a.count + "/" + a.sum.rounded()));
      out.output(
          timestamp.toString().substring(11, 23) + " shard " + partial.getKey() + " " + keys);
    }
  }
}
