package dev.streamfirst.runners.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import dev.streamfirst.testing.servers.pubsub.PubsubEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

/**
 * A streaming rollup reading a Pub/Sub subscription (on the emulator) has its TaskManager killed
 * with SIGKILL while events keep arriving. The source acknowledges messages only when a checkpoint
 * completes, so what the killed TaskManager had read since its last checkpoint, and what it had not
 * yet acknowledged, is delivered again once the acknowledgement deadline passes; the job restarts
 * from its checkpoint, whose dedup state drops the copies of what it had already counted. The rows
 * (to Kafka, exactly once, read back with {@code read_committed}) must be exactly the answer
 * computed from the events published, and the messages must really have been delivered more than
 * once (counted by a proxy between the job and the emulator).
 *
 * <p>Events are published before the kill and after the recovery, not while the job is down. Were
 * they, the restarted reader would read them first (the emulator delivers the expired messages
 * after the backlog), PubsubIO's watermark (the oldest event time read in the last minute) would
 * pass the older redelivered messages, and the rollup would dead-letter those as late: a first run
 * with live events throughout lost 25 of 3,275 events that way (stage {@code late} in the dead
 * letters). See docs/reliability.md.
 */
public class PubsubKillIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();

  /** Short, so that the messages the killed TaskManager held come back soon after the restart. */
  private static final Duration ACK_DEADLINE = Duration.ofSeconds(10);

  private final Path work =
      Path.of("target", "pubsub-kill-it-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  public void taskManagerKilledBeforeAcking_redeliveredMessagesCountedOnce() throws Exception {
    long begun = System.nanoTime();
    PubsubEmulator pubsub = PubsubEmulator.shared();
    String topic = pubsub.createTopic(PubsubEmulator.uniqueName("pubsub-kill-events"));
    String subscription =
        pubsub.createSubscription(
            PubsubEmulator.uniqueName("pubsub-kill-rollup"), topic, ACK_DEADLINE);
    KafkaBroker kafka = KafkaBroker.shared();
    String out = kafka.createTopic("pubsub-kill-rows", 2);
    FlinkSessionCluster cluster = FaultJobs.startCluster("pubsub-kill");
    FlinkRest rest = cluster.rest();
    String jobId = null;
    try (PubsubDeliveries deliveries = PubsubDeliveries.inFrontOf(pubsub.rootUrl());
        LiveEvents events = LiveEvents.startPubsub(pubsub, topic, 50, 5)) {
      String name = "pubsub-kill-" + System.nanoTime();
      PreparedRun.of(
              ROLLUP,
              FaultJobs.rollupFlags(
                      cluster.master(),
                      name,
                      "pubsub://" + subscription + "?timestampAttribute=ts",
                      kafka,
                      out,
                      work,
                      "--pubsubRootUrl=" + deliveries.rootUrl(),
                      "--credentialFactoryClass="
                          + "org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
                      "--project=" + PubsubEmulator.PROJECT)
                  .toArray(new String[0]))
          .run();
      jobId = FaultJobs.awaitJob(rest, name);
      FaultJobs.awaitCheckpointAfter(rest, jobId, Instant.EPOCH);

      Thread.sleep(6_000);
      // Nothing is published while the job is down (see the class comment); the TaskManager is
      // killed at once, holding what it read since its last checkpoint, unacknowledged.
      events.pause();
      long redeliveredBefore = deliveries.redelivered();
      Instant killed = Instant.now();
      ProcessHandle taskManager = ProcessHandle.of(cluster.taskManagerPid()).orElseThrow();
      taskManager.destroyForcibly();
      taskManager.onExit().get();
      cluster = cluster.startTaskManager(FaultJobs.lib(), FaultJobs.TIMEOUT);
      Instant recovered = FaultJobs.awaitCheckpointAfter(rest, jobId, killed);
      // Past the deadline of whatever the killed TaskManager held, so it has been read again,
      // before newer events arrive.
      Thread.sleep(ACK_DEADLINE.toMillis());
      events.resume();
      Thread.sleep(6_000);
      events.stop();

      RollupAnswer answer = RollupAnswer.of(events.sent(), FaultJobs.WINDOW_MS);
      RollupAnswer.Comparison result = answer.compare(FaultJobs.awaitRows(kafka, out, answer));
      System.out.println(
          FaultJobs.tableRow(
              "Pub/Sub: TaskManager killed (SIGKILL) before acking, new one started",
              1,
              events,
              answer,
              result,
              List.of(Duration.between(killed, recovered))));
      System.out.printf(
          "PubsubKillIT: %d messages published, %d distinct delivered, %d deliveries,"
              + " %d delivered again (%d before the kill)%n",
          events.messages(),
          deliveries.distinct(),
          deliveries.delivered(),
          deliveries.redelivered(),
          redeliveredBefore);
      System.out.printf("PubsubKillIT took %.1f s%n", (System.nanoTime() - begun) / 1e9);
      assertTrue("too few windows to tell: " + answer.rows(), answer.rows() >= 20);
      assertEquals(
          "every message published reaches the job", events.messages(), deliveries.distinct());
      assertTrue(
          "messages the killed TaskManager had not acknowledged are delivered again: "
              + deliveries.redelivered()
              + " were, "
              + redeliveredBefore
              + " of them before the kill",
          deliveries.redelivered() > redeliveredBefore);
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
