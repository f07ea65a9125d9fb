package dev.streamfirst.runners;

import java.util.Map;
import java.util.Optional;

/**
 * A job as the launcher follows it once submitted: its id at the runner, and its counters when they
 * are read from where it runs rather than from its {@link org.apache.beam.sdk.PipelineResult} (a
 * detached Flink job's come from the cluster).
 */
public interface SubmittedJob {
  /** A job whose counters its {@code PipelineResult} has, with no id of its own. */
  SubmittedJob IN_RESULT = () -> Optional.empty();

  /** The runner's id of the job, for the audit record. */
  Optional<String> id();

  /** The job's counters now, if it has them apart from its result; empty to read the result. */
  default Optional<Counters> counters() {
    return Optional.empty();
  }

  /**
   * Counters by name: Streamfirst's ({@code streamfirst} namespace) and the run report's.
   *
   * @param streamfirst the pipeline's own counters
   * @param report the run report's counters
   */
  record Counters(Map<String, Long> streamfirst, Map<String, Long> report) {}
}
