package dev.streamfirst.transforms.metrics;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The counters every Streamfirst pipeline reports, in one namespace so a launcher or a dashboard
 * finds them without knowing which transform owns which.
 */
public final class StreamfirstMetrics {
  public static final String NAMESPACE = "streamfirst";

  /** Non-blank payloads that reached parsing. */
  public static final String EVENTS_READ = "events_read";

  /** Payloads that parsed into valid events. */
  public static final String EVENTS_VALID = "events_valid";

  /** Events dropped because their id was seen within the dedup TTL. */
  public static final String DUPLICATES_DROPPED = "duplicates_dropped";

  /** Inputs sent to the dead letters, by any stage. */
  public static final String DEAD_LETTERS = "dead_letters";

  /** Events that arrived after all their windows closed; each also becomes a dead letter. */
  public static final String LATE_EVENTS = "late_events";

  /** Alerts opened by any alert rule. */
  public static final String ALERTS_OPENED = "alerts_opened";

  /** Alerts resolved by any alert rule. */
  public static final String ALERTS_RESOLVED = "alerts_resolved";

  /** Result rows emitted (one per key, window and pane). */
  public static final String ROWS_WRITTEN = "rows_written";

  private StreamfirstMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }
}
