package dev.streamfirst.runners.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The TaskManager running a streaming rollup (Kafka to Kafka, exactly once) is killed with SIGKILL
 * three times while events keep arriving. Each time a new TaskManager is started ({@link
 * FlinkSessionCluster#startTaskManager}, what {@code ./streamfirst flink start-taskmanager} does)
 * and the job restarts from its last checkpoint by its restart strategy. Read back with {@code
 * read_committed}, the rows must be exactly the answer computed from the events written: every
 * window once, with its count and sum.
 */
public class TaskManagerKillIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final int KILLS = 3;

  private final Path work =
      Path.of("target", "tm-kill-it-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  public void taskManagerKilledThreeTimes_everyRowCommittedOnce() throws Exception {
    long begun = System.nanoTime();
    KafkaBroker kafka = KafkaBroker.shared();
    String in = kafka.createTopic("tm-kill-events", 2);
    String out = kafka.createTopic("tm-kill-rows", 2);
    FlinkSessionCluster cluster = FaultJobs.startCluster("tm-kill");
    FlinkRest rest = cluster.rest();
    String jobId = null;
    try (LiveEvents events = LiveEvents.start(kafka.bootstrapServers(), in, 50, 5)) {
      String name = "tm-kill-" + System.nanoTime();
      PreparedRun.of(
              ROLLUP,
              FaultJobs.rollupFlags(cluster.master(), name, kafka, in, out, work)
                  .toArray(new String[0]))
          .run();
      jobId = FaultJobs.awaitJob(rest, name);
      FaultJobs.awaitCheckpointAfter(rest, jobId, Instant.EPOCH);

      List<Duration> recoveries = new ArrayList<>();
      for (int kill = 0; kill < KILLS; kill++) {
        Thread.sleep(6_000);
        Instant killed = Instant.now();
        ProcessHandle taskManager = ProcessHandle.of(cluster.taskManagerPid()).orElseThrow();
        taskManager.destroyForcibly();
        taskManager.onExit().get();
        cluster = cluster.startTaskManager(FaultJobs.lib(), FaultJobs.TIMEOUT);
        Instant recovered = FaultJobs.awaitCheckpointAfter(rest, jobId, killed);
        recoveries.add(Duration.between(killed, recovered));
      }
      Thread.sleep(5_000);
      events.stop();

      RollupAnswer answer = RollupAnswer.of(events.sent(), FaultJobs.WINDOW_MS);
      RollupAnswer.Comparison result = answer.compare(FaultJobs.awaitRows(kafka, out, answer));
      System.out.println(
          FaultJobs.tableRow(
              "TaskManager killed (SIGKILL), new one started",
              KILLS,
              events,
              answer,
              result,
              recoveries));
      System.out.printf("TaskManagerKillIT took %.1f s%n", (System.nanoTime() - begun) / 1e9);
      assertTrue("too few windows to tell: " + answer.rows(), answer.rows() >= 20);
      assertEquals(String.join("\n", result.problems()), List.of(), result.problems());
      assertTrue(result.exact());
    } finally {
      if (jobId != null) {
        try {
          rest.cancel(jobId);
        } catch (Exception e) {
          // The cluster goes next.
        }
      }
      cluster.stop(Duration.ofSeconds(20));
    }
  }
}
