package dev.streamfirst.pipelines.options;

import dev.streamfirst.transforms.time.Durations;
import dev.streamfirst.transforms.windowing.TriggerPolicy;
import org.joda.time.Duration;

/**
 * Reads a {@link TriggerPolicy} from {@link TriggerOptions}, recording every problem, each naming
 * the option and a valid example.
 *
 * <pre>{@code
 * TriggerPolicy policy = TriggerSettings.from(options, checks);
 * }</pre>
 */
public final class TriggerSettings {
  private TriggerSettings() {}

  /** The policy the options ask for; on a problem, records it and returns the default policy. */
  public static TriggerPolicy from(TriggerOptions options, OptionChecks checks) {
    TriggerPolicy policy = TriggerPolicy.onTimeOnly();
    String every = options.getEarlyFiringsEvery();
    if (every != null && !every.isBlank()) {
      Duration d = checks.parse("earlyFiringsEvery", every, Durations::parse);
      checks.require(
          d == null || d.getMillis() > 0,
          "earlyFiringsEvery",
          every,
          "must be positive, e.g. --earlyFiringsEvery=10s (or empty for none)");
      if (d != null && d.getMillis() > 0) {
        policy = policy.withEarlyFiringsEvery(d);
      }
    }
    Integer count = options.getEarlyFiringsEveryCount();
    checks.require(
        count != null && count >= 0,
        "earlyFiringsEveryCount",
        String.valueOf(count),
        "must be 0 (none) or more, e.g. --earlyFiringsEveryCount=100");
    if (count != null && count > 0) {
      policy = policy.withEarlyFiringsEveryCount(count);
    }
    return options.getPanes() == TriggerOptions.Panes.DISCARDING
        ? policy.discarding()
        : policy.accumulating();
  }
}
