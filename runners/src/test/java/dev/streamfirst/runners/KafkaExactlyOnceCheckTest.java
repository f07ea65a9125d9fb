package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.Test;

/**
 * An exactly-once Kafka sink is refused before launch where the runner would not keep the promise,
 * and accepted where it would. Nothing here talks to a broker: the checks look at the built
 * pipeline only ({@code KafkaExactlyOnceOnFlinkIT} runs the accepted Flink case for real).
 */
public class KafkaExactlyOnceCheckTest {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final String EXACTLY_ONCE_SINK =
      "--sink=kafka://localhost:9/rows?delivery=exactly-once";
  private static final String UNBOUNDED = "--source=generator://events?rate=10";
  private static final String FLINK_LOCAL = "--flinkMaster=[local]";

  private static List<String> refusal(String... flags) {
    return assertThrows(UnsupportedOnRunnerException.class, () -> PreparedRun.of(ROLLUP, flags))
        .problems();
  }

  @Test
  public void boundedJobOnFlink_isRefused_namingTheSinkAndTheFix() {
    String expected =
        EXACTLY_ONCE_SINK
            + ": FlinkRunner commits this sink's transactions at checkpoints, which only a job"
            + " that keeps running has, and this pipeline's sources are all bounded; read an"
            + " unbounded source (a live kafka:// or pubsub:// source, or"
            + " generator://...?rate=), or use delivery=at-least-once";
    assertThat(refusal("--runner=FlinkRunner", FLINK_LOCAL, EXACTLY_ONCE_SINK), contains(expected));
    assertThat(
        refusal("--runner=FlinkRunner", FLINK_LOCAL, "--streaming=true", EXACTLY_ONCE_SINK),
        contains(expected));
  }

  @Test
  public void sourcesShutDownWhenIdle_wouldStopTheCommits_andAreRefused() {
    assertThat(
        refusal(
            "--runner=FlinkRunner",
            FLINK_LOCAL,
            UNBOUNDED,
            EXACTLY_ONCE_SINK,
            "--shutdownSourcesAfterIdleMs=0"),
        contains(
            containsString(
                "--shutdownSourcesAfterIdleMs=0: a source shut down after it ends stops the"
                    + " checkpoints")));
  }

  @Test
  public void onFlink_theLauncherKeepsSourcesOpen_forAnExactlyOnceSinkOnly() {
    PreparedRun exactlyOnce =
        PreparedRun.of(ROLLUP, "--runner=FlinkRunner", FLINK_LOCAL, UNBOUNDED, EXACTLY_ONCE_SINK);
    PreparedRun atLeastOnce =
        PreparedRun.of(ROLLUP, "--runner=FlinkRunner", FLINK_LOCAL, UNBOUNDED);

    assertEquals(
        Long.MAX_VALUE,
        (long)
            exactlyOnce.options().as(FlinkPipelineOptions.class).getShutdownSourcesAfterIdleMs());
    assertEquals(
        0L,
        (long)
            atLeastOnce.options().as(FlinkPipelineOptions.class).getShutdownSourcesAfterIdleMs());
  }

  @Test
  public void streamingJobOnFlink_withoutCheckpoints_isRefused() {
    assertThat(
        refusal(
            "--runner=FlinkRunner",
            FLINK_LOCAL,
            UNBOUNDED,
            EXACTLY_ONCE_SINK,
            "--checkpointingInterval=-1"),
        contains(
            containsString(
                "--checkpointingInterval=-1: the exactly-once Kafka sink commits its transactions"
                    + " when Flink checkpoints")));
  }

  @Test
  public void streamingJobOnFlink_withAtLeastOnceCheckpoints_isRefused() {
    assertThat(
        refusal(
            "--runner=FlinkRunner",
            FLINK_LOCAL,
            UNBOUNDED,
            EXACTLY_ONCE_SINK,
            "--checkpointingMode=AT_LEAST_ONCE"),
        contains(
            "--checkpointingMode=AT_LEAST_ONCE: the exactly-once Kafka sink needs exactly-once"
                + " checkpoints; use --checkpointingMode=EXACTLY_ONCE, or delivery=at-least-once"
                + " in "
                + EXACTLY_ONCE_SINK));
  }

  @Test
  public void deadLetterSinkIsCheckedToo_andItsSecretsAreMasked() {
    String deadLetters =
        "--deadLetter=kafka://localhost:9/dead?delivery=exactly-once"
            + "&kafka.sasl.jaas.config=hunter2";
    List<String> problems = refusal("--runner=FlinkRunner", FLINK_LOCAL, deadLetters);

    assertThat(
        problems,
        contains(
            containsString(
                "--deadLetter=kafka://localhost:9/dead?delivery=exactly-once"
                    + "&kafka.sasl.jaas.config=*****: FlinkRunner commits")));
    assertThat(problems.get(0), not(containsString("hunter2")));
  }

  @Test
  public void acceptedWhereTheRunnerKeepsIt() {
    for (String[] flags :
        List.of(
            new String[] {"--runner=DirectRunner", EXACTLY_ONCE_SINK},
            new String[] {"--runner=DirectRunner", UNBOUNDED, EXACTLY_ONCE_SINK},
            new String[] {"--runner=FlinkRunner", FLINK_LOCAL, UNBOUNDED, EXACTLY_ONCE_SINK},
            new String[] {
              "--runner=FlinkRunner",
              FLINK_LOCAL,
              "--sink=kafka://localhost:9/rows?delivery=at-least-once"
            })) {
      assertThat(
          String.join(" ", flags),
          RunnerChecks.standard().problems(PreparedRun.of(ROLLUP, flags).plan()),
          empty());
    }
  }
}
