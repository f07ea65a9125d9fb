package dev.streamfirst.transforms.aggregate;

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
  public void aWindowReachingItsKeyLimit_isEmittedBeforeTheBundleEnds_withNothingLost() {
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
