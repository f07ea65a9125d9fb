package dev.streamfirst.runners.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a launcher knows about one run when it ends: the counts, the counters sampled while it ran,
 * its options (secrets already masked) and where its file outputs are.
 *
 * @param counts the headline counts in the order a person reads them: events read, valid,
 *     duplicates, dead letters, late, then each output ({@code rows}, {@code alerts}, ...)
 * @param reportCounters the {@link dev.streamfirst.transforms.metrics.RunReportMetrics} counters
 * @param timeline samples taken while the job ran, oldest first
 * @param rows the directory of a {@code file://} sink's rows, if the rows went to one
 * @param deadLetters the directory of a {@code file://} dead-letter sink, if they went to one
 */
public record RunFacts(
    String pipeline,
    String runner,
    String status,
    int exitCode,
    Instant started,
    Instant ended,
    Map<String, Long> counts,
    Map<String, Long> counters,
    Map<String, Long> reportCounters,
    Map<String, String> options,
    List<Sample> timeline,
    Optional<Path> rows,
    Optional<Path> deadLetters) {

  /** Cumulative counts at {@code seconds} after the job was submitted. */
  public record Sample(double seconds, long eventsRead, long rows, long deadLetters) {}

  public double seconds() {
    return (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0;
  }
}
