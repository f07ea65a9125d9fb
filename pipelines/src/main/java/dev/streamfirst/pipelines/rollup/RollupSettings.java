package dev.streamfirst.pipelines.rollup;

import dev.streamfirst.pipelines.CleanEvents;
import dev.streamfirst.pipelines.options.EnrichSettings;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.transforms.windowing.WindowSpec;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Rollup's settings as typed, checked values: its events, and the reference data whose record of a
 * row's key is added to the row (null for none).
 */
public record RollupSettings(CleanEvents events, @Nullable EnrichSettings enrich)
    implements Serializable {
  /** The window when {@code --window} is not given. */
  public static final String DEFAULT_WINDOW = "fixed:60s";

  /** Event settings with rollup's default window, to build in code, e.g. for tests. */
  public static CleanEvents.Builder builder() {
    return CleanEvents.builder().setWindow(WindowSpec.parse(DEFAULT_WINDOW));
  }

  /** Reads and checks the settings from options, recording every problem in {@code checks}. */
  public static RollupSettings from(RollupOptions options, OptionChecks checks) {
    CleanEvents.Builder events =
        CleanEvents.read(options, checks)
            .readWindow(options, DEFAULT_WINDOW, checks)
            .readTrigger(options, checks);
    EnrichSettings enrich = EnrichSettings.from(options, checks);
    checks.throwIfAny();
    return new RollupSettings(events.build(), enrich);
  }
}
