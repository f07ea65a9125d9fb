package dev.streamfirst.pipelines;

import com.google.auto.value.AutoValue;
import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.options.TriggerOptions;
import dev.streamfirst.pipelines.options.TriggerSettings;
import dev.streamfirst.pipelines.options.WindowOptions;
import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.events.ParseEvents;
import dev.streamfirst.transforms.time.Durations;
import dev.streamfirst.transforms.windowing.EventWindows;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import dev.streamfirst.transforms.windowing.WindowSpec;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Duration;

/**
 * The front every event pipeline shares, and its settings: parse JSON into events (dead letters for
 * the rest), drop re-deliveries, and window by event time with late data kept as dead letters. A
 * pipeline embeds one of these in its settings and adds only its own part.
 *
 * <p>It is applied inside the pipeline's own transform rather than as a transform of its own, so
 * its steps keep the names they have always had ({@code Rollup/ParseEvents}, {@code Rollup/Dedup},
 * {@code Rollup/Window}): Flink savepoints and Dataflow updates find state by those names.
 *
 * <pre>{@code
 * public Result<StatsRow> expand(PCollection<String> payloads) {
 *   CleanEvents.Cleaned events = settings.events().windowed(payloads);
 *   PCollection<StatsRow> rows = events.output().apply("Aggregate", ...);
 *   return events.result(rows);
 * }
 * }</pre>
 */
@AutoValue
public abstract class CleanEvents implements Serializable {
  public abstract EventFields fields();

  /** Events dated more than this after the clock are dead letters (see {@link ParseEvents}). */
  public abstract Duration maxFuture();

  public abstract Duration dedupTtl();

  public abstract Dedup.Clock dedupClock();

  /** How finely event-time dedup releases held events: the most it delays a result. */
  public abstract Duration dedupReleaseInterval();

  /** How many groups streaming dedup spreads the ids over ({@link Dedup#withStreamingGroups}). */
  public abstract int dedupGroups();

  /** The windows of {@link #windowed}; not used by {@link #deduplicated}. */
  public abstract WindowSpec window();

  public abstract Duration allowedLateness();

  public abstract TriggerPolicy trigger();

  public abstract Builder toBuilder();

  /** The canonical fields, a {@link Dedup#DEFAULT_TTL} in event time, global windows, on time. */
  public static Builder builder() {
    return new AutoValue_CleanEvents.Builder()
        .setFields(EventFields.defaults())
        .setMaxFuture(ParseEvents.DEFAULT_MAX_FUTURE)
        .setDedupTtl(Dedup.DEFAULT_TTL)
        .setDedupClock(Dedup.Clock.EVENT_TIME)
        .setDedupReleaseInterval(Dedup.DEFAULT_RELEASE_INTERVAL)
        .setDedupGroups(Dedup.DEFAULT_STREAMING_GROUPS)
        .setWindow(WindowSpec.global())
        .setAllowedLateness(Duration.ZERO)
        .setTrigger(TriggerPolicy.onTimeOnly());
  }

  /**
   * Reads the event fields and dedup settings from options, recording every problem in {@code
   * checks}; the windowing options are read by the builder's {@code read...} methods.
   */
  public static <O extends EventFieldOptions & DedupOptions> Builder read(
      O options, OptionChecks checks) {
    Builder builder = builder();
    EventFields fields =
        checks.parse(
            "idField",
            options.getIdField(),
            id ->
                EventFields.of(
                    id,
                    options.getKeyField(),
                    options.getTimestampField(),
                    options.getValueField()));
    Duration ttl = checks.parse("dedupTtl", options.getDedupTtl(), Durations::parse);
    checks.require(
        ttl == null || ttl.getMillis() > 0,
        "dedupTtl",
        options.getDedupTtl(),
        "must be positive, e.g. 10m");
    if (fields != null) {
      builder.setFields(fields);
    }
    if (ttl != null) {
      builder.setDedupTtl(ttl);
    }
    Duration maxFuture = checks.parse("maxFuture", options.getMaxFuture(), Durations::parse);
    checks.require(
        maxFuture == null || maxFuture.getMillis() > 0,
        "maxFuture",
        options.getMaxFuture(),
        "must be positive, e.g. 1h");
    if (maxFuture != null && maxFuture.getMillis() > 0) {
      builder.setMaxFuture(maxFuture);
    }
    Duration release =
        checks.parse("dedupReleaseInterval", options.getDedupReleaseInterval(), Durations::parse);
    checks.require(
        release == null || release.getMillis() > 0,
        "dedupReleaseInterval",
        options.getDedupReleaseInterval(),
        "must be positive, e.g. 100ms");
    if (release != null && release.getMillis() > 0) {
      builder.setDedupReleaseInterval(release);
    }
    checks.require(
        options.getDedupGroups() > 0,
        "dedupGroups",
        String.valueOf(options.getDedupGroups()),
        "must be positive, e.g. " + Dedup.DEFAULT_STREAMING_GROUPS);
    if (options.getDedupGroups() > 0) {
      builder.setDedupGroups(options.getDedupGroups());
    }
    return builder.setDedupClock(options.getDedupClock());
  }

  /** Parse and dedup: unique events, not windowed yet, and the parse dead letters. */
  public Cleaned deduplicated(PCollection<String> payloads) {
    Result<Event> parsed =
        payloads.apply("ParseEvents", ParseEvents.withFields(fields()).withMaxFuture(maxFuture()));
    PCollection<Event> unique =
        parsed
            .output()
            .apply(
                "Dedup",
                Dedup.<Event>byId(Event::id)
                    .withTtl(dedupTtl())
                    .withClock(dedupClock())
                    .withReleaseInterval(dedupReleaseInterval())
                    .withStreamingGroups(dedupGroups()));
    return new Cleaned(unique, PCollectionList.of(parsed.deadLetters()));
  }

  /** Parse, dedup and window: windowed events, and the parse and late dead letters. */
  public Cleaned windowed(PCollection<String> payloads) {
    return window(deduplicated(payloads));
  }

  /** Windows events that {@link #deduplicated} returned; late ones join the dead letters. */
  public Cleaned window(Cleaned unique) {
    Result<Event> windowed =
        unique
            .output()
            .apply(
                "Window",
                EventWindows.<Event>of(window())
                    .withAllowedLateness(allowedLateness())
                    .withTrigger(trigger())
                    .withLateDeadLetters(Event::payload));
    return new Cleaned(windowed.output(), unique.deadLetters().and(windowed.deadLetters()));
  }

  /**
   * Events on their way through a pipeline, with the dead letters so far.
   *
   * @param output the events
   * @param deadLetters every dead letter so far, joined only at the end ({@link #result})
   */
  public record Cleaned(PCollection<Event> output, PCollectionList<DeadLetter> deadLetters) {
    /** The pipeline's result: {@code output}, and these dead letters with {@code more}. */
    @SafeVarargs
    public final <T> Result<T> result(PCollection<T> output, PCollection<DeadLetter>... more) {
      PCollection<DeadLetter> all =
          deadLetters.and(Arrays.asList(more)).apply("AllDeadLetters", Flatten.pCollections());
      return Result.of(output, all);
    }
  }

  /** Builds the front in code (e.g. for tests) or from options. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setFields(EventFields fields);

    public abstract Builder setDedupTtl(Duration ttl);

    public abstract Builder setDedupClock(Dedup.Clock clock);

    public abstract Builder setDedupReleaseInterval(Duration interval);

    public abstract Builder setDedupGroups(int groups);

    public abstract Builder setMaxFuture(Duration maxFuture);

    public abstract Builder setWindow(WindowSpec window);

    public abstract Builder setAllowedLateness(Duration lateness);

    public abstract Builder setTrigger(TriggerPolicy trigger);

    public abstract CleanEvents build();

    /** {@code --window} (or {@code defaultWindow} when it is not given) and its lateness. */
    public Builder readWindow(WindowOptions options, String defaultWindow, OptionChecks checks) {
      String text = options.getWindow() == null ? defaultWindow : options.getWindow();
      WindowSpec window = checks.parse("window", text, WindowSpec::parse);
      if (window != null) {
        setWindow(window);
      }
      return readLateness(options.getAllowedLateness(), checks);
    }

    /** {@code --allowedLateness}: zero or positive. */
    public Builder readLateness(String value, OptionChecks checks) {
      Duration lateness = checks.parse("allowedLateness", value, Durations::parse);
      checks.require(
          lateness == null || lateness.getMillis() >= 0,
          "allowedLateness",
          value,
          "must be zero or positive, e.g. --allowedLateness=2m");
      if (lateness != null && lateness.getMillis() >= 0) {
        setAllowedLateness(lateness);
      }
      return this;
    }

    /** The trigger policy of {@link TriggerOptions}. */
    public Builder readTrigger(TriggerOptions options, OptionChecks checks) {
      return setTrigger(TriggerSettings.from(options, checks));
    }
  }
}
