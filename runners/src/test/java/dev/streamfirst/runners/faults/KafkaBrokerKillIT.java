package dev.streamfirst.runners.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.SharedFlinkCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.Test;

/**
 * The Kafka broker that a streaming rollup reads from and commits its rows to (exactly once) is
 * killed with SIGKILL twice mid-run and started again on the same data. The job is left alone: its
 * reader waits for the broker, and a write that fails restarts the job from its last checkpoint
 * (its own restart strategy). The rows read back with {@code read_committed} must be exactly the
 * answer computed from the events written.
 *
 * <p>The broker stays down {@value #DOWN_MS} ms plus the time it takes to start again. The test's
 * own producer pauses while the broker is down, as it would have to; the events it wrote before are
 * on the broker's disk (a killed process loses nothing the kernel holds).
 */
public class KafkaBrokerKillIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final int KILLS = 2;
  private static final long DOWN_MS = 5_000;

  private final Path work =
      Path.of("target", "broker-kill-it-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  public void brokerKilledAndRestarted_jobRecoversByItself_everyRowCommittedOnce()
      throws Exception {
    long begun = System.nanoTime();
    FlinkSessionCluster cluster = SharedFlinkCluster.get();
    FlinkRest rest = cluster.rest();
    String jobId = null;
    try (KafkaBroker kafka = KafkaBroker.start()) {
      String in = kafka.createTopic("broker-kill-events", 2);
      String out = kafka.createTopic("broker-kill-rows", 2);
      try (LiveEvents events = LiveEvents.start(kafka.bootstrapServers(), in, 50, 5)) {
        String name = "broker-kill-" + System.nanoTime();
        PreparedRun.of(
                ROLLUP,
                FaultJobs.rollupFlags(cluster.master(), name, kafka, in, out, work)
                    .toArray(new String[0]))
            .run();
        jobId = FaultJobs.awaitJob(rest, name);
        FaultJobs.awaitCheckpointAfter(rest, jobId, Instant.EPOCH);

        List<Duration> recoveries = new ArrayList<>();
        List<String> downs = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
          Thread.sleep(6_000);
          events.pause();
          Instant killed = Instant.now();
          kafka.kill();
          Thread.sleep(DOWN_MS);
          kafka.restart();
          Instant back = Instant.now();
          events.resume();
          Instant recovered = FaultJobs.awaitCheckpointAfter(rest, jobId, back);
          System.out.printf(
              "broker down %.1f s, job checkpointing again %.1f s after it was back%n",
              Duration.between(killed, back).toMillis() / 1000.0,
              Duration.between(back, recovered).toMillis() / 1000.0);
          recoveries.add(Duration.between(back, recovered));
          downs.add(
              String.format(
                  Locale.ROOT, "%.1f s", Duration.between(killed, back).toMillis() / 1000.0));
        }
        Thread.sleep(5_000);
        events.stop();

        RollupAnswer answer = RollupAnswer.of(events.sent(), FaultJobs.WINDOW_MS);
        RollupAnswer.Comparison result = answer.compare(FaultJobs.awaitRows(kafka, out, answer));
        System.out.println(
            FaultJobs.tableRow(
                "Kafka broker killed (SIGKILL), restarted on its data (down "
                    + String.join(", ", downs)
                    + ")",
                KILLS,
                events,
                answer,
                result,
                recoveries));
        System.out.printf("KafkaBrokerKillIT took %.1f s%n", (System.nanoTime() - begun) / 1e9);
        assertEquals("the job did not survive", "RUNNING", rest.jobState(jobId));
        assertTrue("too few windows to tell: " + answer.rows(), answer.rows() >= 15);
        assertEquals(String.join("\n", result.problems()), List.of(), result.problems());
        assertTrue(result.exact());
      } finally {
        if (jobId != null) {
          rest.cancel(jobId);
          rest.awaitJobState(jobId, FlinkRest.TERMINAL_STATES, Duration.ofMinutes(1));
        }
      }
    }
  }
}
