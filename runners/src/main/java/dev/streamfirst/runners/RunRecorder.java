package dev.streamfirst.runners;

import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.file.OutputDirectory;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.runners.report.ReportLocation;
import dev.streamfirst.runners.report.RunFacts;
import dev.streamfirst.runners.report.RunReport;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Collects what the launcher sees of one run (counter samples while it runs, how it ended) and
 * writes the run report at the end: {@code summary.json} and {@code report.html} in the {@link
 * ReportLocation} directory, unless {@code --report=none}.
 */
final class RunRecorder {
  private final PrintStream err;
  private final String pipeline;
  private final PlannedRun plan;
  private final Optional<Path> directory;
  private final Map<String, OutputDirectory> outputs;
  private final List<RunFacts.Sample> timeline = new ArrayList<>();
  private final Instant startedAt = Instant.now();
  private long startedNanos = System.nanoTime();
  private String status = "FAILED";
  private RunSummary last;
  private Instant endedAt;

  RunRecorder(
      PrintStream err,
      String pipeline,
      PlannedRun plan,
      Optional<Path> directory,
      Map<String, OutputDirectory> outputs) {
    this.err = err;
    this.pipeline = pipeline;
    this.plan = plan;
    this.directory = directory;
    this.outputs = outputs;
  }

  void started(long nanos) {
    startedNanos = nanos;
  }

  /** Counters read while the job runs: one point of the report's series. */
  synchronized void sample(RunSummary summary) {
    last = summary;
    timeline.add(
        new RunFacts.Sample(
            (System.nanoTime() - startedNanos) / 1e9,
            summary.eventsRead(),
            rows(summary),
            summary.get(StreamfirstMetrics.DEAD_LETTERS)));
  }

  /** How the run ended ({@code DONE}, {@code FAILED}, {@code STOPPED}, ...), with its counters. */
  synchronized void ended(String status, RunSummary summary) {
    this.status = status;
    this.endedAt = Instant.now();
    // A detached cluster job's result has no metrics of its own: its counters are the ones last
    // read from the cluster, not zeros.
    if (summary != null && !(summary.counters().isEmpty() && last != null)) {
      sample(summary);
    }
  }

  /** Writes the report, saying where; a report that cannot be written is a warning only. */
  synchronized void write(int exitCode) {
    if (directory.isEmpty()) {
      return;
    }
    RunSummary summary = last != null ? last : RunSummary.of(Map.of(), startedNanos);
    Instant ended = endedAt != null ? endedAt : Instant.now();
    try {
      RunReport.Written written =
          RunReport.write(
              directory.get(),
              new RunFacts(
                  pipeline,
                  plan.options().getRunner().getSimpleName(),
                  status,
                  exitCode,
                  startedAt,
                  ended,
                  counts(summary),
                  summary.counters(),
                  summary.reportCounters(),
                  options(),
                  List.copyOf(timeline),
                  fileOutput("sink"),
                  fileOutput("deadLetter")));
      err.println("Report: " + written.html() + " (numbers in " + written.summary() + ")");
    } catch (IOException | RuntimeException e) {
      err.println("warning: the run report could not be written to " + directory.get() + ": " + e);
    }
  }

  private Map<String, Long> counts(RunSummary summary) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("events_read", summary.eventsRead());
    counts.put(StreamfirstMetrics.EVENTS_VALID, summary.get(StreamfirstMetrics.EVENTS_VALID));
    counts.put(
        StreamfirstMetrics.DUPLICATES_DROPPED, summary.get(StreamfirstMetrics.DUPLICATES_DROPPED));
    counts.put(StreamfirstMetrics.DEAD_LETTERS, summary.get(StreamfirstMetrics.DEAD_LETTERS));
    counts.put(StreamfirstMetrics.LATE_EVENTS, summary.get(StreamfirstMetrics.LATE_EVENTS));
    for (String output : plan.outputs()) {
      counts.put(
          output.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT),
          summary.written(output));
    }
    return counts;
  }

  private long rows(RunSummary summary) {
    long rows = 0;
    for (String output : plan.outputs()) {
      rows += summary.written(output);
    }
    return rows;
  }

  /** The options the user gave and where the data came from and went, secrets masked. */
  private Map<String, String> options() {
    Map<String, String> options = new LinkedHashMap<>();
    PipelineOptions given = plan.options();
    options.put("runner", given.getRunner().getSimpleName());
    if (given instanceof SourceOptions source) {
      options.put("source", source.getSource());
    }
    if (given instanceof SinkOptions sinks) {
      options.put("sink", sinks.getSink());
      options.put("deadLetter", sinks.getDeadLetter());
    }
    for (String name : plan.givenOptions()) {
      String flag = plan.flag(name);
      int eq = flag.indexOf('=');
      options.putIfAbsent(name, eq < 0 ? "true" : flag.substring(eq + 1));
    }
    return masked(options);
  }

  /** Secret options' values masked, and secrets inside URIs (query parameters, user:password@). */
  static Map<String, String> masked(Map<String, String> options) {
    Map<String, String> masked = new LinkedHashMap<>();
    options.forEach(
        (name, value) ->
            masked.put(name, Secrets.isSecret(name) ? Secrets.MASK : Secrets.maskUri(value)));
    return masked;
  }

  private Optional<Path> fileOutput(String option) {
    return Optional.ofNullable(outputs.get(option)).map(OutputDirectory::path);
  }
}
