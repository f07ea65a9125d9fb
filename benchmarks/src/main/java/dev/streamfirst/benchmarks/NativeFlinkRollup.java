package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.tuple.Tuple6;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * The same rollup as a straightforward native Flink DataStream job, streaming mode, parallelism 2:
 * per-id state with a timer each, an event-time window per key, Jackson trees. Kept for comparison
 * with {@link TunedNativeFlinkRollup}, which the benchmark runs by default; it runs only when
 * {@code --only} names it.
 */
final class NativeFlinkRollup implements Variant {
  @Override
  public String name() {
    return "native Flink DataStream, straightforward (streaming)";
  }

  @Override
  public List<AggregateRow> run(Path input, Path work) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
    env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
    List<AggregateRow> rows = new ArrayList<>();
    try (CloseableIterator<Tuple6<String, Long, Long, Double, Double, Double>> results =
        env.readTextFile(input.toString())
            .flatMap(new ParseFn())
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(
                        Duration.ofMillis(RollupLogic.MAX_DISORDER_MILLIS))
                    .withTimestampAssigner((e, previous) -> e.ts))
            .keyBy(e -> e.id)
            .process(new DedupFn())
            .keyBy(e -> e.key)
            .window(
                TumblingEventTimeWindows.of(
                    org.apache.flink.streaming.api.windowing.time.Time.milliseconds(
                        RollupLogic.WINDOW_MILLIS)))
            .aggregate(new StatsAggregate(), new AttachWindow())
            .executeAndCollect("native rollup")) {
      results.forEachRemaining(t -> rows.add(new AggregateRow(t.f0, t.f1, t.f2, t.f3, t.f4, t.f5)));
    }
    return rows;
  }

  /** A parsed event; a Flink POJO. */
  public static final class Event {
    public String id;
    public String key;
    public long ts;
    public double value;

    public Event() {}
  }

  private static final class ParseFn implements FlatMapFunction<String, Event> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void flatMap(String line, Collector<Event> out) {
      if (line.isBlank()) {
        return;
      }
      try {
        JsonNode n = JSON.readTree(line);
        JsonNode id = n.get("id");
        JsonNode key = n.get("key");
        JsonNode ts = n.get("ts");
        JsonNode value = n.get("value");
        if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
          return;
        }
        if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
          return;
        }
        if (ts == null || value == null || !value.isNumber()) {
          return;
        }
        Event e = new Event();
        e.id = id.textValue();
        e.key = key.textValue();
        e.ts =
            ts.isIntegralNumber()
                ? ts.longValue()
                : OffsetDateTime.parse(ts.textValue()).toInstant().toEpochMilli();
        e.value = value.doubleValue();
        out.collect(e);
      } catch (Exception malformed) {
        // Not an event: the other variants send it to dead letters; here it is simply dropped.
      }
    }
  }

  /** First event of an id passes; copies within the TTL are dropped; state cleared by a timer. */
  private static final class DedupFn extends KeyedProcessFunction<String, Event, Event> {
    private transient ValueState<Long> anchor;

    @Override
    public void open(Configuration parameters) {
      anchor = getRuntimeContext().getState(new ValueStateDescriptor<>("anchor", Long.class));
    }

    @Override
    public void processElement(Event e, Context context, Collector<Event> out) throws Exception {
      Long seen = anchor.value();
      if (seen != null && Math.abs(e.ts - seen) < RollupLogic.DEDUP_TTL_MILLIS) {
        return;
      }
      anchor.update(seen == null ? e.ts : Math.max(seen, e.ts));
      context.timerService().registerEventTimeTimer(e.ts + RollupLogic.DEDUP_TTL_MILLIS);
      out.collect(e);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Event> out)
        throws Exception {
      Long seen = anchor.value();
      if (seen != null && seen + RollupLogic.DEDUP_TTL_MILLIS <= timestamp) {
        anchor.clear();
      }
    }
  }

  /** count, sum, min, max. */
  private static final class StatsAggregate
      implements AggregateFunction<
          Event, Tuple4<Long, Double, Double, Double>, Tuple4<Long, Double, Double, Double>> {
    @Override
    public Tuple4<Long, Double, Double, Double> createAccumulator() {
      return Tuple4.of(0L, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @Override
    public Tuple4<Long, Double, Double, Double> add(
        Event e, Tuple4<Long, Double, Double, Double> a) {
      return Tuple4.of(a.f0 + 1, a.f1 + e.value, Math.min(a.f2, e.value), Math.max(a.f3, e.value));
    }

    @Override
    public Tuple4<Long, Double, Double, Double> getResult(Tuple4<Long, Double, Double, Double> a) {
      return a;
    }

    @Override
    public Tuple4<Long, Double, Double, Double> merge(
        Tuple4<Long, Double, Double, Double> a, Tuple4<Long, Double, Double, Double> b) {
      return Tuple4.of(a.f0 + b.f0, a.f1 + b.f1, Math.min(a.f2, b.f2), Math.max(a.f3, b.f3));
    }
  }

  private static final class AttachWindow
      extends ProcessWindowFunction<
          Tuple4<Long, Double, Double, Double>,
          Tuple6<String, Long, Long, Double, Double, Double>,
          String,
          TimeWindow> {
    @Override
    public void process(
        String key,
        Context context,
        Iterable<Tuple4<Long, Double, Double, Double>> stats,
        Collector<Tuple6<String, Long, Long, Double, Double, Double>> out) {
      for (Tuple4<Long, Double, Double, Double> s : stats) {
        out.collect(Tuple6.of(key, context.window().getStart(), s.f0, s.f1, s.f2, s.f3));
      }
    }
  }
}
