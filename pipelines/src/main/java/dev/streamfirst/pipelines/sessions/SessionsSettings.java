package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.time.Durations;
import dev.streamfirst.transforms.windowing.WindowSpec;
import java.io.Serializable;
import org.joda.time.Duration;

/** The sessions pipeline's settings: its events, windowed in sessions of {@code --sessionGap}. */
public record SessionsSettings(CleanEvents events) implements Serializable {
  /** Reads and checks the settings from options, recording every problem in {@code checks}. */
  public static SessionsSettings from(SessionsOptions options, OptionChecks checks) {
    CleanEvents.Builder events = CleanEvents.read(options, checks);
    Duration gap = checks.parse("sessionGap", options.getSessionGap(), Durations::parse);
    checks.require(
        gap == null || gap.getMillis() > 0,
        "sessionGap",
        options.getSessionGap(),
        "must be positive, e.g. --sessionGap=30m");
    events.readLateness(options.getAllowedLateness(), checks).readTrigger(options, checks);
    checks.throwIfAny();
    return new SessionsSettings(events.setWindow(WindowSpec.session(gap)).build());
  }
}
