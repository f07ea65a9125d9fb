package dev.streamfirst.benchmarks;

/** The logic every variant implements, with the same settings. */
final class RollupLogic {
  /** Fixed windows of one minute. */
  static final long WINDOW_MILLIS = 60_000;

  /** Per id, later copies within ten minutes of event time are dropped. */
  static final long DEDUP_TTL_MILLIS = 600_000;

  /** How far event times may be out of order (the generator's disorder). */
  static final long MAX_DISORDER_MILLIS = 5_000;

  private RollupLogic() {}

  static long windowStart(long ts) {
    return Math.floorDiv(ts, WINDOW_MILLIS) * WINDOW_MILLIS;
  }
}
