package dev.streamfirst.pipelines.rollup;

import com.google.auto.value.AutoValue;
import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.options.TriggerSettings;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.time.Durations;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import dev.streamfirst.transforms.windowing.WindowSpec;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/** Rollup's settings as typed, checked values: what {@link Rollup} is built from. */
@AutoValue
public abstract class RollupSettings implements Serializable {
  /** The window when {@code --window} is not given. */
  public static final String DEFAULT_WINDOW = "fixed:60s";

  public abstract EventFields fields();

  public abstract WindowSpec window();

  public abstract Duration allowedLateness();

  public abstract TriggerPolicy trigger();

  public abstract Duration dedupTtl();

  public abstract DedupClock dedupClock();

  /** Reference data whose record of a row's key is added to the row; null for none. */
  public abstract @Nullable EnrichSettings enrich();

  public static Builder builder() {
    return new AutoValue_RollupSettings.Builder()
        .setFields(EventFields.defaults())
        .setWindow(WindowSpec.parse(DEFAULT_WINDOW))
        .setAllowedLateness(Duration.ZERO)
        .setTrigger(TriggerPolicy.onTimeOnly())
        .setDedupTtl(Duration.standardMinutes(10))
        .setDedupClock(DedupClock.EVENT_TIME);
  }

  /** Reads and checks the settings from options, recording every problem in {@code checks}. */
  public static RollupSettings from(RollupOptions options, OptionChecks checks) {
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
    String windowText = options.getWindow() == null ? DEFAULT_WINDOW : options.getWindow();
    WindowSpec window = checks.parse("window", windowText, WindowSpec::parse);
    Duration lateness =
        checks.parse("allowedLateness", options.getAllowedLateness(), Durations::parse);
    checks.require(
        lateness == null || lateness.getMillis() >= 0,
        "allowedLateness",
        options.getAllowedLateness(),
        "must be zero or positive, e.g. --allowedLateness=2m");
    TriggerPolicy trigger = TriggerSettings.from(options, checks);
    Duration ttl = checks.parse("dedupTtl", options.getDedupTtl(), Durations::parse);
    checks.require(
        ttl == null || ttl.getMillis() > 0,
        "dedupTtl",
        options.getDedupTtl(),
        "must be positive, e.g. 10m");
    EnrichSettings enrich = EnrichSettings.from(options, checks);
    checks.throwIfAny();
    return builder()
        .setFields(fields)
        .setWindow(window)
        .setAllowedLateness(lateness)
        .setTrigger(trigger)
        .setDedupTtl(ttl)
        .setDedupClock(options.getDedupClock())
        .setEnrich(enrich)
        .build();
  }

  public abstract Builder toBuilder();

  /** Builds settings in code, e.g. for tests. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setFields(EventFields fields);

    public abstract Builder setWindow(WindowSpec window);

    public abstract Builder setAllowedLateness(Duration lateness);

    public abstract Builder setTrigger(TriggerPolicy trigger);

    public abstract Builder setDedupTtl(Duration ttl);

    public abstract Builder setDedupClock(DedupClock clock);

    public abstract Builder setEnrich(@Nullable EnrichSettings enrich);

    public abstract RollupSettings build();
  }
}
