package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.aggregate.WindowedStats;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The rollup: JSON events in; per key and event-time window, count, sum, min, max and mean out,
 * after the {@link CleanEvents} front; its dead letters out. {@link #withReference} adds to each
 * row the reference record of its key.
 *
 * <pre>{@code
 * Result<StatsRow> rows = lines.apply("Rollup", Rollup.of(RollupSettings.builder().build()));
 * }</pre>
 */
public final class Rollup extends PTransform<PCollection<String>, Result<StatsRow>> {
  private final CleanEvents events;

  private Rollup(CleanEvents events) {
    this.events = events;
  }

  public static Rollup of(CleanEvents events) {
    if (events == null) {
      throw new IllegalArgumentException("Rollup.of() needs event settings, got null");
    }
    return new Rollup(events);
  }

  /** The same rollup with each row joined to the reference record of its key. */
  public WithReference withReference(EnrichSettings enrich) {
    if (enrich == null) {
      throw new IllegalArgumentException("withReference() needs enrichment settings, got null");
    }
    return new WithReference(events, enrich);
  }

  @Override
  public Result<StatsRow> expand(PCollection<String> payloads) {
    CleanEvents.Cleaned windowed = events.windowed(payloads);
    return windowed.result(aggregate(windowed.output()));
  }

  static PCollection<StatsRow> aggregate(PCollection<Event> windowed) {
    return windowed
        .apply(
            "KeyValues",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                .via((Event e) -> KV.of(e.key(), e.value())))
        .apply("Aggregate", WindowedStats.perKey());
  }

  /**
   * The rollup whose rows carry their key's reference record; rows whose lookup failed are among
   * the dead letters instead. Made by {@link Rollup#withReference}.
   */
  public static final class WithReference
      extends PTransform<PCollection<String>, Result<Enriched<StatsRow>>> {
    private final CleanEvents events;
    private final EnrichSettings enrich;

    private WithReference(CleanEvents events, EnrichSettings enrich) {
      this.events = events;
      this.enrich = enrich;
    }

    @Override
    public Result<Enriched<StatsRow>> expand(PCollection<String> payloads) {
      CleanEvents.Cleaned windowed = events.windowed(payloads);
      Result<Enriched<StatsRow>> enriched =
          aggregate(windowed.output())
              .apply("EnrichRows", enrich.transform().forElements(StatsRow::key, StatsRow::toJson));
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
      return windowed.result(enriched.output(), rowDeadLetters);
    }
  }
}
