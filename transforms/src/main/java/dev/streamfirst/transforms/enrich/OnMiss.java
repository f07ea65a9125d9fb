package dev.streamfirst.transforms.enrich;

/**
 * What {@link Enrich} does with an element whose key has no reference data.
 *
 * <pre>{@code
 * Enrich.fromTable(accounts).withOnMiss(OnMiss.DEAD_LETTER);
 * }</pre>
 */
public enum OnMiss {
  /** Pass it on without reference data: {@link Enriched#found()} is false. */
  PASS_THROUGH,
  /** Drop it (counted in the {@code enrich_not_found} metric). */
  DROP,
  /** Send it to the dead letters, with the key in the reason. */
  DEAD_LETTER
}
