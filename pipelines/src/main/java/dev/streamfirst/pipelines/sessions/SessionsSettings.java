package dev.streamfirst.pipelines.sessions;

import com.google.auto.value.AutoValue;
import dev.streamfirst.pipelines.options.DedupOptions.DedupClock;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.options.TriggerSettings;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.time.Durations;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import java.io.Serializable;
import org.joda.time.Duration;

/** The sessions pipeline's settings as typed, checked values. */
@AutoValue
public abstract class SessionsSettings implements Serializable {
  public abstract EventFields fields();

  public abstract Duration sessionGap();

  public abstract Duration allowedLateness();

  public abstract TriggerPolicy trigger();

  public abstract Duration dedupTtl();

  public abstract DedupClock dedupClock();

  public static Builder builder() {
    return new AutoValue_SessionsSettings.Builder()
        .setFields(EventFields.defaults())
        .setSessionGap(Duration.standardMinutes(30))
        .setAllowedLateness(Duration.ZERO)
        .setTrigger(TriggerPolicy.onTimeOnly())
        .setDedupTtl(Duration.standardMinutes(10))
        .setDedupClock(DedupClock.EVENT_TIME);
  }

  /** Reads and checks the settings from options, recording every problem in {@code checks}. */
  public static SessionsSettings from(SessionsOptions options, OptionChecks checks) {
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
    Duration gap = checks.parse("sessionGap", options.getSessionGap(), Durations::parse);
    checks.require(
        gap == null || gap.getMillis() > 0,
        "sessionGap",
        options.getSessionGap(),
        "must be positive, e.g. --sessionGap=30m");
    Duration lateness =
        checks.parse("allowedLateness", options.getAllowedLateness(), Durations::parse);
    TriggerPolicy trigger = TriggerSettings.from(options, checks);
    Duration ttl = checks.parse("dedupTtl", options.getDedupTtl(), Durations::parse);
    checks.require(
        ttl == null || ttl.getMillis() > 0,
        "dedupTtl",
        options.getDedupTtl(),
        "must be positive, e.g. 10m");
    checks.throwIfAny();
    return builder()
        .setFields(fields)
        .setSessionGap(gap)
        .setAllowedLateness(lateness)
        .setTrigger(trigger)
        .setDedupTtl(ttl)
        .setDedupClock(options.getDedupClock())
        .build();
  }

  public abstract Builder toBuilder();

  /** Builds settings in code, e.g. for tests. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setFields(EventFields fields);

    public abstract Builder setSessionGap(Duration gap);

    public abstract Builder setAllowedLateness(Duration lateness);

    public abstract Builder setTrigger(TriggerPolicy trigger);

    public abstract Builder setDedupTtl(Duration ttl);

    public abstract Builder setDedupClock(DedupClock clock);

    public abstract SessionsSettings build();
  }
}
