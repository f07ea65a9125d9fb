package dev.streamfirst.testing.kit;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;

/**
 * A pipeline ready to run on the test's input, its outputs captured: state what it must write with
 * {@link #rows()}, {@link #output(String)} and {@link #deadLetters()}, then {@link #run()} it. A
 * failed assertion fails {@code run()} with an {@link AssertionError} that says which output, which
 * window and pane, what was expected and what came.
 *
 * <pre>{@code
 * PipelineRun run = kit.pipeline("rollup").withArgs("--window=fixed:1m").readFrom(stream);
 * run.rows().inOnTimePane(window(at("10:00"), minutes(1))).containsRows(row("key", "k", "count", 2));
 * run.deadLetters().inStage("parse").hasCount(1);
 * run.run();
 * }</pre>
 */
public final class PipelineRun {
  /** The output the result rows go to ({@code --sink}, step {@code WriteRows}). */
  public static final String ROWS = "Rows";

  /** The output dead letters go to ({@code --deadLetter}, step {@code WriteDeadLetters}). */
  public static final String DEAD_LETTERS = "DeadLetters";

  private final Pipeline pipeline;
  private final Map<String, PCollection<String>> outputs;
  private boolean ran;

  PipelineRun(Pipeline pipeline, Map<String, PCollection<String>> outputs) {
    this.pipeline = pipeline;
    this.outputs = outputs;
  }

  /** The names of the captured outputs, e.g. {@code [Rows, Alerts, DeadLetters]}. */
  public Set<String> outputs() {
    return Collections.unmodifiableSet(outputs.keySet());
  }

  /** The rows written to {@code --sink}. */
  public RowsAssert rows() {
    return output(ROWS);
  }

  /**
   * The JSON lines the step {@code Write<name>} would have written, e.g. {@code output("Alerts")}.
   *
   * @throws IllegalArgumentException naming the outputs there are
   */
  public RowsAssert output(String name) {
    return new RowsAssert(this, name, captured(name), RowsAssert.Selection.ALL, null);
  }

  /** The dead letters written to {@code --deadLetter}. */
  public DeadLettersAssert deadLetters() {
    return new DeadLettersAssert(this, captured(DEAD_LETTERS), null, null);
  }

  /** One captured output itself, for checks of your own with {@code PAssert}. */
  public PCollection<String> captured(String name) {
    PCollection<String> lines = outputs.get(name);
    if (lines == null) {
      throw new IllegalArgumentException(
          "the pipeline has no output '"
              + name
              + "' (no step Write"
              + name
              + "); its outputs are "
              + outputs.keySet());
    }
    return lines;
  }

  /** The pipeline, its source and sinks swapped, for anything the kit does not cover. */
  public Pipeline pipeline() {
    return pipeline;
  }

  /**
   * Runs the pipeline to the end of its input and checks every assertion stated.
   *
   * @throws AssertionError when an assertion fails, or did not run
   */
  public PipelineResult run() {
    checkNotRun("run it again");
    int asserts = PAssert.countAsserts(pipeline);
    ran = true;
    PipelineResult result;
    try {
      result = pipeline.run();
      result.waitUntilFinish();
    } catch (Pipeline.PipelineExecutionException e) {
      if (e.getCause() instanceof AssertionError assertion) {
        throw assertion;
      }
      throw e;
    }
    long passed = counter(result, PAssert.SUCCESS_COUNTER);
    long failed = counter(result, PAssert.FAILURE_COUNTER);
    if (failed > 0 || passed < asserts) {
      throw new AssertionError(
          asserts
              + " assertions were stated, "
              + passed
              + " passed and "
              + failed
              + " failed: an assertion that never ran is on output that never came");
    }
    return result;
  }

  /** Whether {@link #run()} has been called. */
  public boolean hasRun() {
    return ran;
  }

  void checkNotRun(String action) {
    if (ran) {
      throw new IllegalStateException(
          "the pipeline has already run; cannot " + action + ". Build a new run for another case");
    }
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PAssert.class, name))
                    .build());
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
