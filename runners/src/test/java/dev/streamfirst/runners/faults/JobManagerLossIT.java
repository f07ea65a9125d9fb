package dev.streamfirst.runners.faults;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.Launcher;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkClusterSettings;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The JobManager of a cluster running a streaming rollup (Kafka to Kafka, exactly once) is killed
 * with SIGKILL. Without high availability the job is gone with it; its retained checkpoints are
 * not. The cluster is started again ({@code ./streamfirst flink stop}, {@code start}) and the job
 * resumed with one command, {@code ./streamfirst flink resume rollup <the same flags>}, which finds
 * the newest retained checkpoint under the job's {@code --stateBackendStoragePath}. The rows of
 * both jobs, read back with {@code read_committed}, must be exactly the answer computed from the
 * events written, which kept coming while no job ran.
 */
public class JobManagerLossIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();

  private final Path work =
      Path.of("target", "jm-loss-it-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  public void jobManagerKilled_resumedFromLatestCheckpoint_everyRowCommittedOnce()
      throws Exception {
    long begun = System.nanoTime();
    KafkaBroker kafka = KafkaBroker.shared();
    String in = kafka.createTopic("jm-loss-events", 2);
    String out = kafka.createTopic("jm-loss-rows", 2);
    FlinkClusterSettings settings = FaultJobs.settings("jm-loss");
    FlinkSessionCluster cluster = FaultJobs.startCluster(settings);
    FlinkRest rest = cluster.rest();
    ByteArrayOutputStream launcherOut = new ByteArrayOutputStream();
    Thread resume = null;
    String resumedId = null;
    try (LiveEvents events = LiveEvents.start(kafka.bootstrapServers(), in, 50, 5)) {
      String name = "jm-loss-" + System.nanoTime();
      List<String> flags =
          FaultJobs.rollupFlags(
              cluster.master(),
              name,
              kafka,
              in,
              out,
              work,
              "--stateBackend=hashmap",
              "--stateBackendStoragePath=" + work.resolve("checkpoints").toUri());
      PreparedRun.of(ROLLUP, flags.toArray(new String[0])).run();
      String lostId = FaultJobs.awaitJob(rest, name);
      Instant first = FaultJobs.awaitCheckpointAfter(rest, lostId, Instant.EPOCH);
      FaultJobs.awaitCheckpointAfter(rest, lostId, first.plusSeconds(8));

      Instant killed = Instant.now();
      ProcessHandle jobManager = ProcessHandle.of(cluster.jobManagerPid()).orElseThrow();
      jobManager.destroyForcibly();
      jobManager.onExit().get();
      // What an operator does: clean up what is left (the TaskManager) and start the cluster
      // again, on the same ports, then resume.
      cluster.stop(Duration.ofSeconds(20));
      cluster = FaultJobs.startCluster(settings);
      List<String> command = new ArrayList<>(List.of("flink", "resume", "rollup"));
      command.addAll(flags);
      PrintStream launcherPrint = new PrintStream(launcherOut, true, StandardCharsets.UTF_8);
      resume =
          new Thread(
              () -> new Launcher(launcherPrint, launcherPrint).run(command.toArray(new String[0])),
              "flink-resume");
      resume.setDaemon(true);
      resume.start();
      resumedId = FaultJobs.awaitJob(rest, name);
      Instant recovered = FaultJobs.awaitCheckpointAfter(rest, resumedId, killed);
      String said = launcherOut.toString(StandardCharsets.UTF_8);
      assertThat(said, containsString("Resuming from checkpoint"));
      assertThat(said, containsString("of job " + lostId));

      Thread.sleep(8_000);
      events.stop();
      RollupAnswer answer = RollupAnswer.of(events.sent(), FaultJobs.WINDOW_MS);
      RollupAnswer.Comparison result = answer.compare(FaultJobs.awaitRows(kafka, out, answer));
      System.out.println(
          FaultJobs.tableRow(
              "JobManager killed (SIGKILL), cluster restarted, ./streamfirst flink resume",
              1,
              events,
              answer,
              result,
              List.of(Duration.between(killed, recovered))));
      System.out.printf("JobManagerLossIT took %.1f s%n", (System.nanoTime() - begun) / 1e9);
      assertTrue("too few windows to tell: " + answer.rows(), answer.rows() >= 15);
      assertEquals(String.join("\n", result.problems()), List.of(), result.problems());
      assertTrue(result.exact());
    } finally {
      System.out.println("flink resume said:\n" + launcherOut.toString(StandardCharsets.UTF_8));
      if (resumedId != null) {
        try {
          rest.cancel(resumedId);
        } catch (Exception e) {
          // The cluster goes next.
        }
      }
      cluster.stop(Duration.ofSeconds(20));
      if (resume != null) {
        resume.join(30_000);
      }
    }
  }
}
