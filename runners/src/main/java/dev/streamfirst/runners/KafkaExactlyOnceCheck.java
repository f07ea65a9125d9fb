package dev.streamfirst.runners;

import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.kafka.KafkaSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses an exactly-once Kafka sink ({@code delivery=exactly-once}) where the runner would not
 * keep the promise. KafkaIO's transactional sink needs stable input: what it is given must be the
 * same when a bundle is retried. DirectRunner never retries; Dataflow keeps input stable; Flink
 * does so only in a streaming job whose checkpoints are exactly-once (it holds the sink's input
 * back until the checkpoint that covers it completes). FlinkRunner's batch mode ignores the
 * requirement, and without checkpoints a Flink streaming job would fail deep inside the runner.
 */
public final class KafkaExactlyOnceCheck implements RunnerCheck {
  /** What to use instead, in the sink's URI, where exactly-once cannot be kept. */
  public static final String AT_LEAST_ONCE = "delivery=at-least-once";

  @Override
  public List<String> problems(PlannedRun run) {
    List<String> problems = new ArrayList<>();
    for (KafkaSink sink : exactlyOnceSinks(run)) {
      String what = describe(run, sink);
      problems.addAll(RunnerProfiles.of(run.runner()).exactlyOnceKafkaSinkProblems(run, what));
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
}
