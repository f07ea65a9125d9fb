package dev.streamfirst.transforms.metrics;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The metrics every Streamfirst pipeline reports, in one namespace so a launcher or a dashboard
 * finds them without knowing which transform owns which. Every runner reports them under these
 * names: DirectRunner and Dataflow through {@code PipelineResult.metrics()}, Flink also through its
 * metric reporters as {@code <scope>.streamfirst.<name>} of the operator that counted.
 *
 * <p>What the issue calls lookup calls, cache hits and misses, retries and latency are {@link
 * #ENRICH_LOOKUPS}, {@link #ENRICH_CACHE_HITS}, {@link #ENRICH_CACHE_MISSES}, {@link
 * #ENRICH_RETRIES} and {@link #ENRICH_LOOKUP_LATENCY_MS}; rows written per sink are the {@link
 * #OUTPUT_PREFIX} counters.
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

  /** Enrichment: elements whose key was answered from the per-worker lookup cache. */
  public static final String ENRICH_CACHE_HITS = "enrich_cache_hits";

  /** Enrichment: elements whose key was not in the lookup cache and had to be looked up. */
  public static final String ENRICH_CACHE_MISSES = "enrich_cache_misses";

  /** Enrichment: calls made to a lookup handler (each batch attempt counts once). */
  public static final String ENRICH_LOOKUPS = "enrich_lookups";

  /** Enrichment: lookup attempts that are retried after a transient failure or a timeout. */
  public static final String ENRICH_RETRIES = "enrich_retries";

  /** Enrichment: batches that still failed after every retry; their elements are dead letters. */
  public static final String ENRICH_LOOKUP_FAILURES = "enrich_lookup_failures";

  /** Enrichment: elements for whose key the reference data has no entry. */
  public static final String ENRICH_NOT_FOUND = "enrich_not_found";

  /** Enrichment: elements that left with their reference data (or flagged as not found). */
  public static final String ENRICH_ENRICHED = "enrich_enriched";

  /** Enrichment: distinct keys per lookup call (a distribution). */
  public static final String ENRICH_BATCH_SIZE = "enrich_batch_size";

  /** Enrichment: milliseconds per successful lookup call, retries included (a distribution). */
  public static final String ENRICH_LOOKUP_LATENCY_MS = "enrich_lookup_latency_ms";

  /** Enrichment: reads of a reference table (the first one and every refresh). */
  public static final String ENRICH_TABLE_READS = "enrich_table_reads";

  /** Enrichment: refreshes of a reference table that failed; the previous copy stays in use. */
  public static final String ENRICH_TABLE_READ_FAILURES = "enrich_table_read_failures";

  /**
   * Milliseconds from a window's end to the moment its row was emitted (a distribution): how long a
   * result waited for the watermark, triggers and lateness.
   */
  public static final String ROW_LATENCY_MS = "row_latency_ms";

  /**
   * Processing time minus the watermark, in milliseconds (a distribution), sampled each time the
   * late-data check learns a new lower bound of its input watermark.
   */
  public static final String EVENT_TIME_LAG_MS = "event_time_lag_ms";

  /**
   * The suffix of a gauge that holds the latest sample of a distribution. Flink's metric reporters
   * export a Beam distribution as a gauge that is not a number (Prometheus reads it as 0), so each
   * distribution above also has this gauge: {@code row_latency_ms_latest}.
   */
  public static final String LATEST_SUFFIX = "_latest";

  /**
   * Dead letters by stage and reason class, one counter each, named {@code
   * dead_letters.<stage>.<reason>}: {@code dead_letters.parse.not_json}, {@code
   * dead_letters.late.late}. Counted where dead letters are handed to their sink; see {@link
   * dev.streamfirst.transforms.errors.DeadLetterReason}.
   */
  public static final String DEAD_LETTERS_BY_REASON_PREFIX = "dead_letters.";

  /**
   * Items handed to a pipeline's sink, one counter per output, named this prefix and the output in
   * snake case: {@code output_rows}, {@code output_alerts}, {@code output_sessions}, {@code
   * output_dead_letters}. A summary names what a pipeline writes from them.
   */
  public static final String OUTPUT_PREFIX = "output_";

  private StreamfirstMetrics() {}

  /** The counter name of an output: {@code "DeadLetters"} gives {@code output_dead_letters}. */
  public static String output(String what) {
    return OUTPUT_PREFIX
        + what.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** The counter name of dead letters of one stage and reason class. */
  public static String deadLetters(String stage, String reasonClass) {
    return DEAD_LETTERS_BY_REASON_PREFIX + stage + "." + reasonClass;
  }

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  public static Distribution distribution(String name) {
    return Metrics.distribution(NAMESPACE, name);
  }

  /** The gauge that holds a distribution's latest sample, for reporters that cannot export one. */
  public static Gauge latest(String distributionName) {
    return Metrics.gauge(NAMESPACE, distributionName + LATEST_SUFFIX);
  }
}
