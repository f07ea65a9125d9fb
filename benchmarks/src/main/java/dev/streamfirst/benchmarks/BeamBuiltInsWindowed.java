package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.transforms.aggregate.SummaryFn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.ApproximateQuantiles;
import org.apache.beam.sdk.transforms.ApproximateUnique;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineFns;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Deduplicate;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.JsonToRow;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.Min;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The sessions or the sensors logic composed only of Beam's built-ins — {@code JsonToRow}, {@code
 * Deduplicate}, {@code Window} with {@code Sessions} or {@code SlidingWindows}, {@code Combine}
 * with {@code Count}, {@code Min}, {@code Max}, {@code Sum}, {@code ApproximateQuantiles} and
 * {@code ApproximateUnique} — the way a Beam user would write it by hand. The sensors variant
 * computes the summary rows only, not the alerts.
 */
final class BeamBuiltInsWindowed implements WindowedVariant {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TupleTag<Long> COUNT = new TupleTag<>("count");
  private static final TupleTag<Double> SUM = new TupleTag<>("sum");
  private static final TupleTag<Double> MIN = new TupleTag<>("min");
  private static final TupleTag<Double> MAX = new TupleTag<>("max");
  private static final TupleTag<List<Double>> PERCENTILES = new TupleTag<>("percentiles");
  private static final TupleTag<Long> DISTINCT = new TupleTag<>("distinct");
  private static final TupleTag<Long> FIRST = new TupleTag<>("first");
  private static final TupleTag<Long> LAST = new TupleTag<>("last");

  private final WindowedLogic logic;
  private final BeamRunners runner;
  private final long gapMillis;

  BeamBuiltInsWindowed(WindowedLogic logic, BeamRunners runner, long gapMillis) {
    this.logic = logic;
    this.runner = runner;
    this.gapMillis = gapMillis;
  }

  @Override
  public String name() {
    return "Beam built-ins " + logic.label() + ", " + runner.label();
  }

  @Override
  @SuppressWarnings("deprecation") // ApproximateUnique, as SummaryFn uses it.
  public List<WindowRow> run(Path input, Path work) throws Exception {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(runner.flags().toArray(new String[0])).create();
    Pipeline p = Pipeline.create(options);
    PCollection<Row> unique =
        p.apply("Read", TextIO.read().from(input.toString()))
            .apply("NonBlank", Filter.by((String line) -> !line.isBlank()))
            .apply("Parse", JsonToRow.withExceptionReporting(BeamBuiltInsRollup.EVENT))
            .getResults()
            .apply(
                "Valid",
                Filter.by(
                    (Row r) ->
                        !r.getString("id").isEmpty()
                            && !r.getString("key").isEmpty()
                            && Double.isFinite(r.getDouble("value"))))
            .apply(
                "EventTime",
                WithTimestamps.of((Row r) -> Instant.parse(r.getString("ts")))
                    .withAllowedTimestampSkew(Duration.millis(Long.MAX_VALUE)))
            .apply(
                "ById",
                WithKeys.of((Row r) -> r.getString("id")).withKeyType(TypeDescriptors.strings()))
            .apply(
                "Dedup",
                Deduplicate.<String, Row>keyedValues()
                    .withTimeDomain(TimeDomain.EVENT_TIME)
                    .withDuration(Duration.millis(RollupLogic.DEDUP_TTL_MILLIS)))
            .apply("Events", Values.create());
    PCollection<String> rows =
        switch (logic) {
          case SESSIONS ->
              unique
                  .apply(
                      "Window", Window.into(Sessions.withGapDuration(Duration.millis(gapMillis))))
                  .apply("KeyAndTime", ParDo.of(new KeyAndTimeFn()))
                  .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
                  .apply(
                      "Aggregate",
                      Combine.perKey(
                          CombineFns.compose()
                              .with(new SameLong(), Count.<Long>combineFn(), COUNT)
                              .with(new SameLong(), Min.ofLongs(), FIRST)
                              .with(new SameLong(), Max.ofLongs(), LAST)))
                  .apply("Format", ParDo.of(new FormatSessionFn()));
          case SENSORS ->
              unique
                  .apply(
                      "Window",
                      Window.into(
                          SlidingWindows.of(Duration.millis(WindowedLogic.SENSORS_WINDOW_MILLIS))
                              .every(Duration.millis(WindowedLogic.SENSORS_PERIOD_MILLIS))))
                  .apply("KeyValue", ParDo.of(new KeyValueFn()))
                  .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))
                  .apply(
                      "Aggregate",
                      Combine.perKey(
                          CombineFns.compose()
                              .with(new SameDouble(), Count.<Double>combineFn(), COUNT)
                              .with(new SameDouble(), Sum.ofDoubles(), SUM)
                              .with(new SameDouble(), Min.ofDoubles(), MIN)
                              .with(new SameDouble(), Max.ofDoubles(), MAX)
                              .with(
                                  new SameDouble(),
                                  DoubleCoder.of(),
                                  ApproximateQuantiles.ApproximateQuantilesCombineFn.<Double>create(
                                          101)
                                      .withEpsilon(SummaryFn.PERCENTILE_RANK_ERROR),
                                  PERCENTILES)
                              .with(
                                  new Reading(),
                                  StringUtf8Coder.of(),
                                  new ApproximateUnique.ApproximateUniqueCombineFn<>(
                                      SummaryFn.DISTINCT_SAMPLE_SIZE, StringUtf8Coder.of()),
                                  DISTINCT)))
                  .apply("Format", ParDo.of(new FormatSummaryFn()));
        };
    rows.apply("Write", TextIO.write().to(work.resolve("rows").resolve("part").toString()));
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(name() + " ended " + state);
    }
    return read(work.resolve("rows"));
  }

  // Concrete types, not a generic identity: the composed CombineFn infers its coders from them.
  private static final class SameLong extends SimpleFunction<Long, Long> {
    @Override
    public Long apply(Long value) {
      return value;
    }
  }

  private static final class SameDouble extends SimpleFunction<Double, Double> {
    @Override
    public Double apply(Double value) {
      return value;
    }
  }

  /** The distinct item the sensors pipeline counts: the reading as text. */
  private static final class Reading extends SimpleFunction<Double, String> {
    @Override
    public String apply(Double value) {
      return Double.toString(value);
    }
  }

  private static final class KeyAndTimeFn extends DoFn<Row, KV<String, Long>> {
    @ProcessElement
    public void process(
        @Element Row event, @Timestamp Instant time, OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of(event.getString("key"), time.getMillis()));
    }
  }

  private static final class KeyValueFn extends DoFn<Row, KV<String, Double>> {
    @ProcessElement
    public void process(@Element Row event, OutputReceiver<KV<String, Double>> out) {
      out.output(KV.of(event.getString("key"), event.getDouble("value")));
    }
  }

  private static final class FormatSessionFn
      extends DoFn<KV<String, CombineFns.CoCombineResult>, String> {
    @ProcessElement
    public void process(
        @Element KV<String, CombineFns.CoCombineResult> e,
        IntervalWindow window,
        OutputReceiver<String> out) {
      CombineFns.CoCombineResult r = e.getValue();
      out.output(
          start(e.getKey(), window)
              .put("count", r.get(COUNT))
              .put("min", r.get(FIRST))
              .put("max", r.get(LAST))
              .toString());
    }
  }

  private static final class FormatSummaryFn
      extends DoFn<KV<String, CombineFns.CoCombineResult>, String> {
    @ProcessElement
    public void process(
        @Element KV<String, CombineFns.CoCombineResult> e,
        IntervalWindow window,
        OutputReceiver<String> out) {
      CombineFns.CoCombineResult r = e.getValue();
      List<Double> percentiles = r.get(PERCENTILES);
      out.output(
          start(e.getKey(), window)
              .put("count", r.get(COUNT))
              .put("sum", r.get(SUM))
              .put("min", r.get(MIN))
              .put("max", r.get(MAX))
              .put("p50", percentiles.get(50))
              .put("p95", percentiles.get(95))
              .put("p99", percentiles.get(99))
              .put("distinct", r.get(DISTINCT))
              .toString());
    }
  }

  private static ObjectNode start(String key, IntervalWindow window) {
    return JSON.createObjectNode()
        .put("key", key)
        .put("start", window.start().getMillis())
        .put("end", window.end().getMillis());
  }

  private List<WindowRow> read(Path dir) throws IOException {
    List<WindowRow> rows = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files =
          all.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .toList();
    }
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode row = JSON.readTree(line);
        rows.add(
            new WindowRow(
                row.get("key").asText(),
                row.get("start").asLong(),
                row.get("end").asLong(),
                row.get("count").asLong(),
                row.path("sum").asDouble(0),
                row.get("min").asDouble(),
                row.get("max").asDouble(),
                row.path("distinct").asLong(0)));
      }
    }
    return rows;
  }
}
