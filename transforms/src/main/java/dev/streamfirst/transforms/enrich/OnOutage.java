package dev.streamfirst.transforms.enrich;

/**
 * What a lookup does when its service keeps failing transiently (timeouts, refused connections,
 * 5xx) after every retry. A failure that is not transient (a bad query, a 4xx) makes dead letters
 * whatever this says.
 *
 * <pre>{@code
 * Enrich.fromLookup(handler).withSettings(LookupSettings.defaults().withOnOutage(OnOutage.FAIL));
 * }</pre>
 */
public enum OnOutage {
  /**
   * Keep retrying, at most every 10 s, until the service answers: the bundle waits and the runner
   * slows its sources (back-pressure), so an outage delays results but loses none and makes no dead
   * letters. The default.
   */
  WAIT,
  /**
   * Fail the bundle after the retries: the runner retries it (Flink restarts from a checkpoint).
   */
  FAIL,
  /** Send the batch's elements to the dead letters after the retries, naming the failure. */
  DEAD_LETTER
}
