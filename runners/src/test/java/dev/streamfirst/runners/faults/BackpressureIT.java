package dev.streamfirst.runners.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkClusterSettings;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.JobHealthSampler;
import dev.streamfirst.testing.servers.http.ScriptedHttpServer;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.Test;

/**
 * Backpressure: the streaming rollup enriches each row through the real HTTP lookup the project's
 * tests use, one key per call, one call at a time per worker, no cache. For {@value #SLOW_SECONDS}
 * s (system property {@code streamfirst.backpressure.slowSeconds}) the lookup service answers each
 * call after {@value #SLOW_LATENCY_MS} ms ({@code streamfirst.backpressure.latencyMs}), so the job
 * can enrich about 13 rows a second while the input makes about 20; then it answers at once again.
 * While it is slow the job must be seen back-pressured, keep completing checkpoints (none failing),
 * and keep its TaskManager's heap below {@value #HEAP_BOUND_MB} MB; once it recovers, the Kafka
 * consumer group's lag must drain; and the rows (exactly once to Kafka, read {@code
 * read_committed}) must equal the answer computed from the input.
 *
 * <p>Outside CI the same test compares checkpoint settings: {@code
 * -Dstreamfirst.backpressure.unaligned=true|false} passes {@code --unalignedCheckpointEnabled} (by
 * default the launcher's choice), and {@code -Dstreamfirst.backpressure.debloat=true} starts the
 * cluster with Flink's buffer debloating. Each run prints one {@code BACKPRESSURE |} line with its
 * figures (docs/reliability.md).
 */
public class BackpressureIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();

  /** Events a second, over as many keys: a 5 s window makes nearly one row per key. */
  private static final int RATE = 100;

  private static final int KEYS = 100;

  private static final long SLOW_LATENCY_MS = 150;
  private static final int SLOW_SECONDS = 40;

  /** The heap a TaskManager may use at most while backed up. */
  private static final long HEAP_BOUND_MB = 512;

  /** Lag back to normal: at most this many seconds of input uncommitted. */
  private static final long DRAINED_SECONDS_OF_INPUT = 5;

  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);

  private final Path work =
      Path.of("target", "backpressure-it-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  public void slowLookup_backsUpTheJob_checkpointsContinue_lagDrains_everyRowOnce()
      throws Exception {
    long begun = System.nanoTime();
    int slowSeconds = Integer.getInteger("streamfirst.backpressure.slowSeconds", SLOW_SECONDS);
    long latency = Long.getLong("streamfirst.backpressure.latencyMs", SLOW_LATENCY_MS);
    String unaligned = System.getProperty("streamfirst.backpressure.unaligned", "");
    boolean debloat = Boolean.getBoolean("streamfirst.backpressure.debloat");
    String mode =
        (unaligned.isEmpty() ? "launcher default" : "unaligned=" + unaligned)
            + (debloat ? ", buffer debloating" : "");

    FlinkClusterSettings settings = FaultJobs.settings("backpressure");
    if (debloat) {
      settings = settings.withConfig("taskmanager.network.memory.buffer-debloat.enabled", "true");
    }
    KafkaBroker kafka = KafkaBroker.shared();
    String in = kafka.createTopic("backpressure-events", 2);
    String out = kafka.createTopic("backpressure-rows", 2);
    String group = "group-" + in;
    FlinkSessionCluster cluster = FaultJobs.startCluster(settings);
    FlinkRest rest = cluster.rest();
    String jobId = null;
    LiveEvents events = null;
    try (ScriptedHttpServer lookup = ScriptedHttpServer.start();
        ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers(), group, in)) {
      for (int k = 0; k < KEYS; k++) {
        lookup.put("k" + k, "{\"tier\":\"" + (k % 2 == 0 ? "gold" : "silver") + "\"}");
      }
      String name = "backpressure-" + System.nanoTime();
      List<String> flags =
          new ArrayList<>(
              FaultJobs.rollupFlags(
                  cluster.master(),
                  name,
                  "kafka://"
                      + kafka.bootstrapServers()
                      + "/"
                      + in
                      + "?from=earliest&maxDisorder="
                      + FaultJobs.MAX_DISORDER_MS
                      + "ms&group="
                      + group,
                  kafka,
                  out,
                  work,
                  "--reference=" + lookup.uri("/batch"),
                  "--lookupBatchSize=1",
                  "--lookupConcurrency=1",
                  "--lookupCacheSize=0"));
      if (!unaligned.isEmpty()) {
        flags.add("--unalignedCheckpointEnabled=" + unaligned);
      }
      PreparedRun.of(ROLLUP, flags.toArray(new String[0])).run();
      jobId = FaultJobs.awaitJob(rest, name);
      FaultJobs.awaitCheckpointAfter(rest, jobId, Instant.EPOCH);
      // Input starts once the job runs, so that it does not begin with a backlog.
      events = LiveEvents.start(kafka.bootstrapServers(), in, RATE, KEYS);

      try (JobHealthSampler health = JobHealthSampler.start(rest, jobId)) {
        long normalLag = maxLag(lag, Duration.ofSeconds(10));

        Instant slow = Instant.now();
        lookup.withLatency(latency);
        long slowLag = maxLag(lag, Duration.ofSeconds(slowSeconds));
        lookup.withLatency(0);
        Instant recovered = Instant.now();

        long drainedAt = RATE * DRAINED_SECONDS_OF_INPUT;
        long lastLag = lag.now();
        long afterLag = lastLag;
        while (lastLag > drainedAt
            && Duration.between(recovered, Instant.now()).compareTo(DRAIN_TIMEOUT) < 0) {
          Thread.sleep(500);
          lastLag = lag.now();
          afterLag = Math.max(afterLag, lastLag);
        }
        Instant drained = Instant.now();
        Thread.sleep(3_000);
        events.stop();

        RollupAnswer answer = RollupAnswer.of(events.sent(), FaultJobs.WINDOW_MS);
        RollupAnswer.Comparison result = answer.compare(FaultJobs.awaitRows(kafka, out, answer));
        String state = rest.jobState(jobId);

        List<JobHealthSampler.Sample> during = health.between(slow, recovered);
        List<JobHealthSampler.Sample> all = health.samples();
        List<JobHealthSampler.Checkpoint> slowCheckpoints =
            health.triggeredBetween(slow, recovered);
        List<JobHealthSampler.Checkpoint> failed =
            health.checkpoints().stream().filter(c -> c.status().equals("FAILED")).toList();
        long completedDuring =
            during.isEmpty()
                ? 0
                : during.get(during.size() - 1).completed() - during.get(0).completed();
        long heapMaxUsed =
            all.stream().mapToLong(JobHealthSampler.Sample::heapUsed).max().orElse(0);
        long heapMax = all.stream().mapToLong(JobHealthSampler.Sample::heapMax).max().orElse(0);
        double backPressured =
            during.stream().mapToDouble(JobHealthSampler.Sample::backPressuredMs).max().orElse(0);
        double busy = during.stream().mapToDouble(JobHealthSampler.Sample::busyMs).max().orElse(0);
        double busyBefore =
            health.between(Instant.EPOCH, slow).stream()
                .mapToDouble(JobHealthSampler.Sample::busyMs)
                .max()
                .orElse(0);
        List<Long> durations =
            slowCheckpoints.stream()
                .filter(c -> c.status().equals("COMPLETED"))
                .map(JobHealthSampler.Checkpoint::durationMs)
                .sorted()
                .toList();
        Duration drain = Duration.between(recovered, drained);

        System.out.println(
            String.format(
                Locale.ROOT,
                "BACKPRESSURE | %s | slow %d s at %d ms a call | %d events (%d messages) |"
                    + " heap used max %d MB of %d MB | while slow: back-pressured max %.0f ms/s, busy"
                    + " max %.0f ms/s (%.0f before) | checkpoints while slow: %d completed, durations median %d ms,"
                    + " max %d ms; failed in the run: %d | lag normal %d, slow max %d, after"
                    + " recovery max %d | drained in %.1f s | rows %d expected, %d got, %d lost,"
                    + " %d duplicated |",
                mode,
                slowSeconds,
                latency,
                answer.eventsIn(),
                events.messages(),
                heapMaxUsed >> 20,
                heapMax >> 20,
                backPressured,
                busy,
                busyBefore,
                completedDuring,
                durations.isEmpty() ? -1 : durations.get(durations.size() / 2),
                durations.isEmpty() ? -1 : durations.get(durations.size() - 1),
                failed.size(),
                normalLag,
                slowLag,
                afterLag,
                drain.toMillis() / 1000.0,
                result.expected(),
                result.got(),
                result.lost(),
                result.duplicated()));
        System.out.println("checkpoints: " + health.checkpoints());
        System.out.println("sampling errors: " + health.errors());
        System.out.printf("BackpressureIT took %.1f s%n", (System.nanoTime() - begun) / 1e9);

        assertEquals("the job did not survive", "RUNNING", state);
        assertTrue(
            "the job was never seen back-pressured or busy while the lookup was slow: "
                + backPressured
                + " ms/s, busy "
                + busy
                + " ms/s",
            backPressured >= 200 || busy >= 500);
        assertTrue(
            "the lag never grew past normal while the lookup was slow: " + slowLag,
            slowLag > drainedAt);
        assertTrue(
            "the lag did not drain within " + DRAIN_TIMEOUT + " of the recovery: " + lastLag,
            lastLag <= drainedAt);
        // A checkpoint under backpressure may outlast the slow spell (it waits for a window's
        // lookups), so what must hold is that those triggered in it complete, not when.
        assertTrue(
            "no checkpoint triggered while the lookup was slow completed: " + slowCheckpoints,
            !durations.isEmpty());
        assertEquals(
            "checkpoints triggered while the lookup was slow that did not complete",
            List.of(),
            slowCheckpoints.stream().filter(c -> !c.status().equals("COMPLETED")).toList());
        assertEquals("checkpoints failed: " + failed, List.of(), failed);
        assertTrue(
            "heap used " + (heapMaxUsed >> 20) + " MB, above " + HEAP_BOUND_MB + " MB",
            heapMaxUsed > 0 && heapMaxUsed < HEAP_BOUND_MB << 20);
        assertTrue("too few windows to tell: " + answer.rows(), answer.rows() >= 500);
        assertEquals(String.join("\n", result.problems()), List.of(), result.problems());
        assertTrue(result.exact());
      }
    } finally {
      if (events != null) {
        events.close();
      }
      if (jobId != null) {
        rest.cancel(jobId);
      }
      // The cluster is this test's own: stopping it ends a job still cancelling.
      cluster.stop(Duration.ofSeconds(20));
    }
  }

  /** Samples the lag every second for {@code span}; returns the largest seen. */
  private static long maxLag(ConsumerLag lag, Duration span) throws Exception {
    Instant end = Instant.now().plus(span);
    long max = 0;
    while (Instant.now().isBefore(end)) {
      max = Math.max(max, lag.now());
      Thread.sleep(1_000);
    }
    return max;
  }
}
