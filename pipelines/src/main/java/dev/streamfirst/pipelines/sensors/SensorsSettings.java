package dev.streamfirst.pipelines.sensors;

import com.google.auto.value.AutoValue;
import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.options.TriggerSettings;
import dev.streamfirst.transforms.alert.ThresholdRule;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.time.Durations;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import dev.streamfirst.transforms.windowing.WindowSpec;
import java.io.Serializable;
import org.joda.time.Duration;

/** The sensors pipeline's settings as typed, checked values: what {@link Sensors} is built from. */
@AutoValue
public abstract class SensorsSettings implements Serializable {
  /** The window when {@code --window} is not given. */
  public static final String DEFAULT_WINDOW = "sliding:5m/1m";

  public abstract EventFields fields();

  public abstract WindowSpec window();

  public abstract Duration allowedLateness();

  public abstract TriggerPolicy trigger();

  public abstract Duration dedupTtl();

  public abstract DedupClock dedupClock();

  public abstract ThresholdRule alertRule();

  public abstract Duration missingAfter();

  public static Builder builder() {
    return new AutoValue_SensorsSettings.Builder()
        .setFields(EventFields.defaults())
        .setWindow(WindowSpec.parse(DEFAULT_WINDOW))
        .setAllowedLateness(Duration.ZERO)
        .setTrigger(TriggerPolicy.onTimeOnly())
        .setDedupTtl(Duration.standardMinutes(10))
        .setDedupClock(DedupClock.EVENT_TIME)
        .setAlertRule(ThresholdRule.parse("mean > 80 for 3 windows"))
        .setMissingAfter(Duration.standardMinutes(5));
  }

  /** Reads and checks the settings from options, recording every problem in {@code checks}. */
  public static SensorsSettings from(SensorsOptions options, OptionChecks checks) {
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
    TriggerPolicy trigger = TriggerSettings.from(options, checks);
    Duration ttl = checks.parse("dedupTtl", options.getDedupTtl(), Durations::parse);
    checks.require(
        ttl == null || ttl.getMillis() > 0,
        "dedupTtl",
        options.getDedupTtl(),
        "must be positive, e.g. 10m");
    ThresholdRule rule = checks.parse("alertRule", options.getAlertRule(), ThresholdRule::parse);
    Duration missing = checks.parse("missingAfter", options.getMissingAfter(), Durations::parse);
    checks.require(
        missing == null || missing.getMillis() > 0,
        "missingAfter",
        options.getMissingAfter(),
        "must be positive, e.g. --missingAfter=5m");
    checks.throwIfAny();
    return builder()
        .setFields(fields)
        .setWindow(window)
        .setAllowedLateness(lateness)
        .setTrigger(trigger)
        .setDedupTtl(ttl)
        .setDedupClock(options.getDedupClock())
        .setAlertRule(rule)
        .setMissingAfter(missing)
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

    public abstract Builder setAlertRule(ThresholdRule rule);

    public abstract Builder setMissingAfter(Duration gap);

    public abstract SensorsSettings build();
  }
}
