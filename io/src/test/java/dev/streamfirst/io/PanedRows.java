package dev.streamfirst.io;

import dev.streamfirst.transforms.aggregate.Stats;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.WindowedStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Result rows with early, on-time and late panes, for testing the stores: a {@link TestStream} of
 * keyed values, windowed by the minute with early firings and 5 minutes of allowed lateness,
 * aggregated by {@link WindowedStats}, as JSON. Every row is also recorded, so a test can compute
 * the expected state of a store from what was really emitted.
 *
 * <p>The scenario, in order of arrival: key {@code a} gets 1 and 2 and key {@code b} 5 in [10:00,
 * 10:01); processing time moves on (early panes); {@code a} gets 4 in [10:00, 10:01) and 16 in
 * [10:01, 10:02); the watermark passes both windows (on-time panes); {@code a} gets a late 8 in
 * [10:00, 10:01), after its newer window was emitted (a late pane); the lateness runs out (final
 * panes).
 */
public final class PanedRows extends PTransform<PBegin, PCollection<String>> {
  public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  public static final Instant W1_START = T0;
  public static final Instant W2_START = T0.plus(Duration.standardMinutes(1));

  private static final Map<String, Queue<String>> RECORDED = new ConcurrentHashMap<>();

  private final String recording = UUID.randomUUID().toString();

  public static PanedRows create() {
    return new PanedRows();
  }

  /** Every row the last run emitted, in emission order. */
  public List<StatsRow> emitted() {
    List<StatsRow> rows = new ArrayList<>();
    RECORDED.getOrDefault(recording, new ConcurrentLinkedQueue<>()).stream()
        .map(StatsRow::fromJson)
        .forEach(rows::add);
    return rows;
  }

  /** Per group, the emitted row that is greatest by {@code order}: what a store should hold. */
  public static <K> Map<K, StatsRow> latest(
      List<StatsRow> rows, Function<StatsRow, K> group, Comparator<StatsRow> order) {
    Map<K, StatsRow> latest = new LinkedHashMap<>();
    for (StatsRow row : rows) {
      latest.merge(group.apply(row), row, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    return latest;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    TestStream<KV<String, Double>> stream =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))
            .addElements(value("a", 10, 1), value("a", 20, 2), value("b", 15, 5))
            .advanceProcessingTime(Duration.standardSeconds(30))
            .addElements(value("a", 30, 4), value("a", 70, 16))
            .advanceWatermarkTo(T0.plus(Duration.standardSeconds(150)))
            .addElements(value("a", 40, 8))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(10)))
            .advanceWatermarkToInfinity();
    PCollection<String> rows =
        begin
            .apply("Values", stream)
            .apply(
                "Window",
                Window.<KV<String, Double>>into(FixedWindows.of(Duration.standardMinutes(1)))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withEarlyFirings(
                                AfterProcessingTime.pastFirstElementInPane()
                                    .plusDelayOf(Duration.standardSeconds(10)))
                            .withLateFirings(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(
                        Duration.standardMinutes(5), Window.ClosingBehavior.FIRE_ALWAYS)
                    .accumulatingFiredPanes())
            .apply("Aggregate", WindowedStats.perKey())
            .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(StatsRow::toJson));
    rows.apply("Record", ParDo.of(new RecordFn(recording)));
    return rows;
  }

  /** A single-value ON_TIME row of [10:00, 10:01) for {@code key}, pane {@code index}. */
  public static StatsRow rowOf(String key, long index) {
    return StatsRow.of(
        key,
        W1_START,
        W2_START,
        Stats.of(1, 2.5, 2.5, 2.5, 2.5),
        PaneInfo.Timing.ON_TIME,
        index,
        true);
  }

  private static TimestampedValue<KV<String, Double>> value(String key, int second, double v) {
    return TimestampedValue.of(KV.of(key, v), T0.plus(Duration.standardSeconds(second)));
  }

  private static final class RecordFn extends DoFn<String, Void> {
    private final String recording;

    RecordFn(String recording) {
      this.recording = recording;
    }

    @ProcessElement
    public void process(@Element String row) {
      RECORDED.computeIfAbsent(recording, r -> new ConcurrentLinkedQueue<>()).add(row);
    }
  }
}
