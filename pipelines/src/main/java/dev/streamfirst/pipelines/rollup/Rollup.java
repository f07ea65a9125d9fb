package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.WindowedStats;
import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.windowing.EventWindows;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The rollup: JSON events in; per key and event-time window, count, sum, min, max and mean out,
 * after dropping re-deliveries; everything unparseable, and everything that arrives after its
 * windows closed (stage {@code late}), out as dead letters.
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
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(parsed.deadLetters())
            .and(windowed.late())
            .apply("AllDeadLetters", Flatten.pCollections());
    return new Result(payloads.getPipeline(), rows, deadLetters);
  }

  /** Rollup's outputs: result rows and dead letters. */
  public static final class Result implements POutput {
    private static final TupleTag<StatsRow> ROWS = new TupleTag<>("rows");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");

    private final Pipeline pipeline;
    private final PCollection<StatsRow> rows;
    private final PCollection<DeadLetter> deadLetters;

    Result(Pipeline pipeline, PCollection<StatsRow> rows, PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.rows = rows;
      this.deadLetters = deadLetters;
    }

    public PCollection<StatsRow> rows() {
      return rows;
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
      return Map.of(ROWS, rows, DEAD_LETTERS, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
