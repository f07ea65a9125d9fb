package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.WindowedStats;
import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.enrich.Enrich;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.windowing.EventWindows;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The rollup: JSON events in; per key and event-time window, count, sum, min, max and mean out,
 * after dropping re-deliveries; everything unparseable, and everything that arrives after its
 * windows closed (stage {@code late}), out as dead letters. With enrichment settings, each row also
 * gets the reference record of its key ({@link Result#enrichedRows()}).
 *
 * <p>Source and sinks are not part of it, so tests feed it from {@code Create} or {@code
 * TestStream} and check its outputs directly.
 *
 * <pre>{@code
 * Rollup.Result result = lines.apply("Rollup", Rollup.of(settings));
 * }</pre>
 */
public final class Rollup extends PTransform<PCollection<String>, Rollup.Result> {
  private final RollupSettings settings;

  private Rollup(RollupSettings settings) {
    this.settings = settings;
  }

  public static Rollup of(RollupSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("Rollup.of() needs settings, got null");
    }
    return new Rollup(settings);
  }

  @Override
  public Result expand(PCollection<String> payloads) {
    ParseEvents.Result parsed =
        payloads.apply("ParseEvents", ParseEvents.withFields(settings.fields()));
    Dedup<Event> dedup = Dedup.<Event>byId(Event::id).withTtl(settings.dedupTtl());
    dedup = settings.dedupClock() == DedupClock.EVENT_TIME ? dedup : dedup.inProcessingTime();
    EventWindows.Result<Event> windowed =
        parsed
            .events()
            .apply("Dedup", dedup)
            .apply(
                "Window",
                EventWindows.<Event>of(settings.window())
                    .withAllowedLateness(settings.allowedLateness())
                    .withTrigger(settings.trigger())
                    .withLateDeadLetters(Event::payload));
    PCollection<StatsRow> rows =
        windowed
            .windowed()
            .apply(
                "KeyValues",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                    .via((Event e) -> KV.of(e.key(), e.value())))
            .apply("Aggregate", WindowedStats.perKey());
    if (settings.enrich() == null) {
      PCollection<DeadLetter> deadLetters =
          PCollectionList.of(parsed.deadLetters())
              .and(windowed.late())
              .apply("AllDeadLetters", Flatten.pCollections());
      return new Result(payloads.getPipeline(), rows, null, deadLetters);
    }
    Enrich.Result<StatsRow> enriched =
        rows.apply(
            "EnrichRows",
            settings.enrich().transform().forElements(StatsRow::key, StatsRow::toJson));
    // Rows' dead letters are in event-time windows; parse's are not. Dead letters are written as
    // they come, so both go to the global window with the default trigger before joining.
    PCollection<DeadLetter> rowDeadLetters =
        enriched
            .deadLetters()
            .apply(
                "RowDeadLettersUnwindowed",
                Window.<DeadLetter>into(new GlobalWindows())
                    .triggering(DefaultTrigger.of())
                    .withAllowedLateness(Duration.ZERO)
                    .discardingFiredPanes());
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters())
            .and(windowed.late())
            .and(rowDeadLetters)
            .apply("AllDeadLetters", Flatten.pCollections());
    return new Result(payloads.getPipeline(), rows, enriched.enriched(), deadLetters);
  }

  /** Rollup's outputs: result rows and dead letters. */
  public static final class Result implements POutput {
    private static final TupleTag<StatsRow> ROWS = new TupleTag<>("rows");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");
    private static final TupleTag<Enriched<StatsRow>> ENRICHED_ROWS =
        new TupleTag<>("enrichedRows");

    private final Pipeline pipeline;
    private final PCollection<StatsRow> rows;
    private final @Nullable PCollection<Enriched<StatsRow>> enrichedRows;
    private final PCollection<DeadLetter> deadLetters;

    Result(
        Pipeline pipeline,
        PCollection<StatsRow> rows,
        @Nullable PCollection<Enriched<StatsRow>> enrichedRows,
        PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.rows = rows;
      this.enrichedRows = enrichedRows;
      this.deadLetters = deadLetters;
    }

    public PCollection<StatsRow> rows() {
      return rows;
    }

    /**
     * The rows with the reference record of their key, when the settings ask for enrichment;
     * otherwise null. Rows whose lookup failed are among the dead letters instead.
     */
    public @Nullable PCollection<Enriched<StatsRow>> enrichedRows() {
      return enrichedRows;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return enrichedRows == null
          ? Map.of(ROWS, rows, DEAD_LETTERS, deadLetters)
          : Map.of(ROWS, rows, ENRICHED_ROWS, enrichedRows, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
