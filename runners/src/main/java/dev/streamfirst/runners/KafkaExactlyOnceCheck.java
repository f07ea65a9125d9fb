package dev.streamfirst.runners;

import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.kafka.KafkaSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.PipelineRunner;

/**
 * Refuses an exactly-once Kafka sink ({@code delivery=exactly-once}) where the runner would not
 * keep the promise. KafkaIO's transactional sink needs stable input: what it is given must be the
 * same when a bundle is retried. DirectRunner never retries; Dataflow keeps input stable; Flink
 * does so only in a streaming job whose checkpoints are exactly-once (it holds the sink's input
 * back until the checkpoint that covers it completes). FlinkRunner's batch mode ignores the
 * requirement, and without checkpoints a Flink streaming job would fail deep inside the runner.
 */
final class KafkaExactlyOnceCheck implements RunnerCheck {
  private static final String AT_LEAST_ONCE = "delivery=at-least-once";

  @Override
  public List<String> problems(PlannedRun run) {
    List<String> problems = new ArrayList<>();
    for (KafkaSink sink : exactlyOnceSinks(run)) {
      String what = describe(run, sink);
      Class<? extends PipelineRunner<?>> runner = run.runner();
      if (DirectRunner.class.equals(runner) || DataflowRunner.class.equals(runner)) {
        continue;
      }
      if (!FlinkRunner.class.equals(runner)) {
        problems.add(
            what
                + ": "
                + runner.getSimpleName()
                + " is not known to keep the input of KafkaIO's exactly-once sink stable; run it on"
                + " DataflowRunner or FlinkRunner (streaming, with checkpoints), or use "
                + AT_LEAST_ONCE);
        continue;
      }
      problems.addAll(onFlink(run, what));
    }
    return problems;
  }

  private static List<String> onFlink(PlannedRun run, String what) {
    if (!run.unbounded()) {
      // Observed with Beam 2.62 on Flink 1.19: as a batch job the requirement is ignored; as a
      // streaming job the held input is never released once the bounded sources end.
      return List.of(
          what
              + ": FlinkRunner commits this sink's transactions at checkpoints, which only a job"
              + " that keeps running has, and this pipeline's sources are all bounded; read an"
              + " unbounded source (a live kafka:// or pubsub:// source, or generator://...?rate=),"
              + " or use "
              + AT_LEAST_ONCE);
    }
    FlinkPipelineOptions flink = run.options().as(FlinkPipelineOptions.class);
    List<String> problems = new ArrayList<>();
    Long interval = flink.getCheckpointingInterval();
    if (interval == null || interval <= 0) {
      problems.add(
          flagOr(run, "checkpointingInterval", "--checkpointingInterval=" + interval)
              + ": the exactly-once Kafka sink commits its transactions when Flink checkpoints,"
              + " and this job would never checkpoint; set --checkpointingInterval=<ms> (e.g."
              + " 30000), or use "
              + AT_LEAST_ONCE
              + " in "
              + what);
    }
    if (!"EXACTLY_ONCE".equals(flink.getCheckpointingMode())) {
      problems.add(
          flagOr(run, "checkpointingMode", "--checkpointingMode=" + flink.getCheckpointingMode())
              + ": the exactly-once Kafka sink needs exactly-once checkpoints; use"
              + " --checkpointingMode=EXACTLY_ONCE, or "
              + AT_LEAST_ONCE
              + " in "
              + what);
    }
    Long idle = flink.getShutdownSourcesAfterIdleMs();
    // -1, Beam's default, lets FlinkRunner choose: it keeps sources open when checkpointing.
    if (idle != null && idle >= 0 && idle != Long.MAX_VALUE) {
      problems.add(
          flagOr(run, "shutdownSourcesAfterIdleMs", "--shutdownSourcesAfterIdleMs=" + idle)
              + ": a source shut down after it ends stops the checkpoints that commit the"
              + " exactly-once Kafka sink's last rows; leave the option out (the job then runs"
              + " until cancelled), or use "
              + AT_LEAST_ONCE
              + " in "
              + what);
    }
    return problems;
  }

  private static List<KafkaSink> exactlyOnceSinks(PlannedRun run) {
    List<KafkaSink> sinks = new ArrayList<>();
    run.transforms().stream()
        .filter(t -> t instanceof KafkaSink && ((KafkaSink) t).requiresExactlyOnce())
        .forEach(t -> sinks.add((KafkaSink) t));
    return sinks;
  }

  /** The flag that asked for the sink, if the user gave it, else the sink by its topic. */
  private static String describe(PlannedRun run, KafkaSink sink) {
    return givenUriOf(run, sink)
        .map(Secrets::maskUri)
        .orElse("the exactly-once Kafka sink to topic '" + sink.topic() + "'");
  }

  private static Optional<String> givenUriOf(PlannedRun run, KafkaSink sink) {
    for (String option : run.givenOptions()) {
      String flag = run.flag(option);
      int eq = flag.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String value = flag.substring(eq + 1);
      if (value.startsWith(KafkaSink.SCHEME + "://")
          && value.contains(sink.topic())
          && requiresExactlyOnce(value)) {
        return Optional.of(flag);
      }
    }
    return Optional.empty();
  }

  private static boolean requiresExactlyOnce(String value) {
    try {
      return Sinks.requiresExactlyOnce(value);
    } catch (RuntimeException notASinkUri) {
      return false;
    }
  }

  private static String flagOr(PlannedRun run, String option, String fallback) {
    return run.given(option) ? run.flag(option) : fallback;
  }
}
