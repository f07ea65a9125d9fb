package dev.streamfirst.benchmarks;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineFns;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Deduplicate;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.JsonToRow;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.Min;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The same rollup composed only of Beam's built-ins — {@code JsonToRow}, {@code Deduplicate},
 * {@code Window}, {@code Combine} — the way a Beam user would write it by hand.
 */
final class BeamBuiltInsRollup implements Variant {
  /** The fields the built-ins read from each line: the rollup's events as a Beam schema. */
  static final Schema EVENT =
      Schema.builder()
          .addStringField("id")
          .addStringField("key")
          .addStringField("ts")
          .addDoubleField("value")
          .build();

  private static final TupleTag<Long> COUNT = new TupleTag<>("count");
  private static final TupleTag<Double> SUM = new TupleTag<>("sum");
  private static final TupleTag<Double> MIN = new TupleTag<>("min");
  private static final TupleTag<Double> MAX = new TupleTag<>("max");

  private final BeamRunners runner;

  BeamBuiltInsRollup(BeamRunners runner) {
    this.runner = runner;
  }

  BeamRunners runner() {
    return runner;
  }

  @Override
  public String name() {
    return "Beam built-ins, " + runner.label();
  }

  @Override
  public List<AggregateRow> run(Path input, Path work) throws Exception {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(runner.flags().toArray(new String[0])).create();
    Pipeline p = Pipeline.create(options);
    PCollection<Row> events =
        p.apply("Read", TextIO.read().from(input.toString()))
            .apply("NonBlank", Filter.by((String line) -> !line.isBlank()))
            .apply("Parse", JsonToRow.withExceptionReporting(EVENT))
            .getResults()
            .apply(
                "Valid",
                Filter.by(
                    (Row r) ->
                        !r.getString("id").isEmpty()
                            && !r.getString("key").isEmpty()
                            && Double.isFinite(r.getDouble("value"))));
    events
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
        .apply("Window", Window.into(FixedWindows.of(Duration.millis(RollupLogic.WINDOW_MILLIS))))
        .apply(
            "KeyValue",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                .via(
                    (KV<String, Row> e) ->
                        KV.of(e.getValue().getString("key"), e.getValue().getDouble("value"))))
        .apply(
            "Aggregate",
            Combine.perKey(
                CombineFns.compose()
                    .with(new Identity(), Count.<Double>combineFn(), COUNT)
                    .with(new Identity(), Sum.ofDoubles(), SUM)
                    .with(new Identity(), Min.ofDoubles(), MIN)
                    .with(new Identity(), Max.ofDoubles(), MAX)))
        .apply("Format", ParDo.of(new FormatFn()))
        .apply("Write", TextIO.write().to(work.resolve("rows").resolve("part").toString()));
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(name() + " ended " + state);
    }
    return RowFiles.read(work.resolve("rows"));
  }

  private static final class Identity extends SimpleFunction<Double, Double> {
    @Override
    public Double apply(Double value) {
      return value;
    }
  }

  private static final class FormatFn extends DoFn<KV<String, CombineFns.CoCombineResult>, String> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();

    @ProcessElement
    public void process(
        @Element KV<String, CombineFns.CoCombineResult> e,
        IntervalWindow window,
        OutputReceiver<String> out) {
      CombineFns.CoCombineResult r = e.getValue();
      out.output(
          JSON.createObjectNode()
              .put("key", e.getKey())
              .put("window_start", window.start().toString())
              .put("count", r.get(COUNT))
              .put("sum", r.get(SUM))
              .put("min", r.get(MIN))
              .put("max", r.get(MAX))
              .toString());
    }
  }
}
