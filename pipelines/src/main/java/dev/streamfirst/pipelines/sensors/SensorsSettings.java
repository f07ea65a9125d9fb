package dev.streamfirst.pipelines.sensors;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.alert.ThresholdRule;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import org.joda.time.Duration;

/**
 * The sensors pipeline's settings as typed, checked values: its events, the threshold rule, how
 * long a silent sensor may stay silent, and where alerts go (a URI {@link Sinks} accepts).
 */
public record SensorsSettings(
    CleanEvents events, ThresholdRule alertRule, Duration missingAfter, String alertSink)
    implements Serializable {
  /** The window when {@code --window} is not given. */
  public static final String DEFAULT_WINDOW = "sliding:5m/1m";

  /** Reads and checks the settings from options, recording every problem in {@code checks}. */
  public static SensorsSettings from(SensorsOptions options, OptionChecks checks) {
    checks.parse("alertSink", options.getAlertSink(), Sinks::write);
    CleanEvents.Builder events =
        CleanEvents.read(options, checks)
            .readWindow(options, DEFAULT_WINDOW, checks)
            .readTrigger(options, checks);
    ThresholdRule rule = checks.parse("alertRule", options.getAlertRule(), ThresholdRule::parse);
    Duration missing = checks.parse("missingAfter", options.getMissingAfter(), Durations::parse);
    checks.require(
        missing == null || missing.getMillis() > 0,
        "missingAfter",
        options.getMissingAfter(),
        "must be positive, e.g. --missingAfter=5m");
    checks.throwIfAny();
    return new SensorsSettings(events.build(), rule, missing, options.getAlertSink());
  }
}
