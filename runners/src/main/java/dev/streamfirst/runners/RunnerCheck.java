package dev.streamfirst.runners;

import java.util.List;

/**
 * One thing a runner (or a mode of it) cannot do, checked before a pipeline is submitted, so the
 * user gets a sentence naming the option and the fix instead of a stack trace from deep inside a
 * runner, or worse, a job that silently ignores what it was asked to do.
 *
 * <p>A new capability that only some runners have is one more check in {@link
 * RunnerChecks#standard()}; {@link KafkaExactlyOnceCheck}, for instance, finds the exactly-once
 * Kafka sink among {@link PlannedRun#transforms()} and, on FlinkRunner, requires a streaming job
 * with {@code --checkpointingMode=EXACTLY_ONCE} checkpoints.
 *
 * <pre>{@code
 * RunnerCheck needsStreaming = run ->
 *     run.given("savepointPath") && !run.streaming()
 *         ? List.of("--savepointPath: ... add --streaming=true")
 *         : List.of();
 * }</pre>
 */
@FunctionalInterface
public interface RunnerCheck {
  /**
   * What is wrong with running {@code run} as planned, one sentence per problem, each starting with
   * the option it is about ({@code --savepointPath=...: }) and ending with the fix; empty when
   * nothing is.
   */
  List<String> problems(PlannedRun run);
}
