package dev.streamfirst.runners.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.SharedFlinkCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/**
 * Rescaling from savepoints on the real cluster: a streaming rollup (Kafka to Kafka, exactly once)
 * runs at parallelism 1, is stopped with a savepoint while events keep arriving, is started from it
 * at parallelism 2, stopped again, and started from the second savepoint at parallelism 1. Read
 * back with {@code read_committed}, the rows must be exactly the answer computed from the events
 * written, as one uninterrupted run would give it.
 *
 * <p>What has to carry over each stop is made to matter. The producer never pauses, so windows are
 * open at every stop: the rows committed when the job has stopped show how far its watermark got,
 * and windows with events it had read but no row yet were in the savepoint. After each stop the
 * producer writes again copies of events that the stopped job had certainly read (up to half the
 * disorder past the newest committed window's end): only dedup ids restored from the savepoint, now
 * on other subtasks, drop them. A copy that got through would be counted in a window still open (a
 * wrong row) or be late (a dead letter): the test wants neither. Kafka positions carry over, or
 * events would be lost or counted twice.
 *
 * <p>Every job sets {@code --maxParallelism=128}: the key groups keyed state is split into, fixed
 * for the life of the job. The launcher sets none (Flink then derives 128 for any parallelism up to
 * 85 and keeps a restored savepoint's), so this is what a user who plans to rescale writes.
 */
public class FlinkRescaleIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final int[] PARALLELISMS = {1, 2, 1};
  private static final int MAX_PARALLELISM = 128;
  private static final long RUN_BEFORE_STOP_MS = 12_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path work =
      Path.of("target", "rescale-it-" + ProcessHandle.current().pid()).toAbsolutePath();

  @Test
  public void rescaledOneToTwoAndBack_fromSavepoints_rowsEqualAnUninterruptedRun()
      throws Exception {
    long begun = System.nanoTime();
    KafkaBroker kafka = KafkaBroker.shared();
    String in = kafka.createTopic("rescale-events", 2);
    String out = kafka.createTopic("rescale-rows", 2);
    String dead = kafka.createTopic("rescale-dead-letters", 1);
    FlinkSessionCluster cluster = SharedFlinkCluster.get();
    FlinkRest rest = cluster.rest();
    String jobId = null;
    String savepoint = null;
    int straddling = 0;
    int openAtStops = 0;
    List<String> stops = new ArrayList<>();
    try (LiveEvents events = LiveEvents.start(kafka.bootstrapServers(), in, 50, 5)) {
      for (int part = 0; part < PARALLELISMS.length; part++) {
        int parallelism = PARALLELISMS[part];
        String name = "rescale-" + part + "-p" + parallelism + "-" + System.nanoTime();
        List<String> flags =
            new ArrayList<>(
                List.of(
                    "--maxParallelism=" + MAX_PARALLELISM,
                    "--stateBackendStoragePath=" + work.resolve("checkpoints").toUri()));
        if (savepoint != null) {
          flags.add("--savepointPath=" + savepoint);
        }
        PreparedRun.of(
                ROLLUP,
                FaultJobs.rollupFlags(
                        cluster.master(),
                        name,
                        FaultJobs.kafkaSource(kafka, in),
                        kafka,
                        out,
                        "kafka://" + kafka.bootstrapServers() + "/" + dead,
                        parallelism,
                        flags.toArray(new String[0]))
                    .toArray(new String[0]))
            .run();
        jobId = FaultJobs.awaitJob(rest, name);
        FaultJobs.awaitCheckpointAfter(rest, jobId, Instant.EPOCH);
        for (FlinkRest.Vertex v : rest.vertices(jobId)) {
          // An impulse (one element in the life of the job) is a source of parallelism 1.
          if (!v.name().startsWith("Source: Impulse")) {
            assertEquals("parallelism of " + v.name(), parallelism, v.parallelism());
            assertEquals("max parallelism of " + v.name(), MAX_PARALLELISM, v.maxParallelism());
          }
        }
        if (part == PARALLELISMS.length - 1) {
          break;
        }

        Thread.sleep(RUN_BEFORE_STOP_MS);
        // Which subtasks read: a restored job keeps the splits of the first run's source.
        String sourceId =
            rest.vertices(jobId).stream()
                .filter(v -> v.name().startsWith("Source:") && !v.name().contains("Impulse"))
                .findFirst()
                .orElseThrow()
                .id();
        List<Long> readBySubtask =
            rest.subtasks(jobId, sourceId).stream().map(FlinkRest.Subtask::writeRecords).toList();
        Instant requested = Instant.now();
        savepoint =
            rest.stopWithSavepoint(
                jobId, work.resolve("savepoints").toString(), false, FaultJobs.TIMEOUT);
        assertEquals("FINISHED", rest.awaitJobState(jobId, Set.of("FINISHED"), FaultJobs.TIMEOUT));
        Duration stopTook = Duration.between(requested, Instant.now());
        List<String> rowsAtStop = kafka.readValues(out);
        long readUpTo = certainlyReadUpTo(rowsAtStop);
        Set<String> committed = windows(rowsAtStop);

        // Re-deliveries of what the stopped job had read: every third event of its last 10 s. Those
        // in windows whose rows were not committed yet were in open windows of the savepoint.
        List<LiveEvents.Event> copies =
            events.sent().stream()
                .filter(e -> e.ts() <= readUpTo && e.ts() > readUpTo - 10_000)
                .filter(e -> Long.parseLong(e.id().substring(2)) % 3 == 0)
                .toList();
        events.resend(copies);
        assertFalse("no event was certainly read before stop " + (part + 1), copies.isEmpty());
        straddling += copies.size();
        Set<String> open = new HashSet<>();
        for (LiveEvents.Event e : events.sent()) {
          String window = window(e.key(), e.ts());
          if (e.ts() <= readUpTo && !committed.contains(window)) {
            open.add(window);
          }
        }
        openAtStops += open.size();
        stops.add(
            String.format(
                "p%d -> p%d: savepoint in %.1f s, %d copies of events read before it, %d windows"
                    + " open; records sent on by each source subtask before it: %s",
                parallelism,
                PARALLELISMS[part + 1],
                stopTook.toMillis() / 1000.0,
                copies.size(),
                open.size(),
                readBySubtask));
      }
      Thread.sleep(RUN_BEFORE_STOP_MS);
      events.stop();

      RollupAnswer answer = RollupAnswer.of(events.sent(), FaultJobs.WINDOW_MS);
      RollupAnswer.Comparison result = answer.compare(FaultJobs.awaitRows(kafka, out, answer));
      List<String> deadLetters = kafka.readValues(dead);
      System.out.println(
          FaultJobs.tableRow(
              "rescaled 1 -> 2 -> 1 from savepoints",
              PARALLELISMS.length - 1,
              events,
              answer,
              result,
              List.of()));
      stops.forEach(s -> System.out.println("RESCALE | " + s));
      System.out.printf(
          "FlinkRescaleIT took %.1f s (cluster up in %.1f s)%n",
          (System.nanoTime() - begun) / 1e9, SharedFlinkCluster.startedIn().toMillis() / 1000.0);

      assertTrue("too few windows to tell: " + answer.rows(), answer.rows() >= 20);
      assertTrue("no window was open at a stop", openAtStops > 0);
      assertTrue("no copy straddled a stop", straddling > 0);
      assertEquals(String.join("\n", result.problems()), List.of(), result.problems());
      assertTrue(result.exact());
      // A copy that passed dedup after a restore, too late for its window, lands here.
      assertEquals("dead letters: " + deadLetters, List.of(), deadLetters);
    } finally {
      if (jobId != null) {
        try {
          rest.cancel(jobId);
        } catch (IOException e) {
          // The job ended already.
        }
      }
    }
  }

  /**
   * The latest event time the job has certainly read: a committed row means the watermark passed
   * its window's end, and the watermark stays {@link FaultJobs#MAX_DISORDER_MS} behind the newest
   * event read; half of that is kept as a margin for events still in flight.
   */
  private static long certainlyReadUpTo(List<String> rows) {
    long latestEnd =
        rows.stream()
            .mapToLong(r -> Instant.parse(read(r, "window_end")).toEpochMilli())
            .max()
            .orElseThrow(() -> new AssertionError("no row committed before the stop"));
    return latestEnd + FaultJobs.MAX_DISORDER_MS / 2;
  }

  private static Set<String> windows(List<String> rows) {
    Set<String> windows = new HashSet<>();
    for (String row : rows) {
      windows.add(read(row, "key") + "@" + Instant.parse(read(row, "window_start")));
    }
    return windows;
  }

  private static String window(String key, long ts) {
    long start = Math.floorDiv(ts, FaultJobs.WINDOW_MS) * FaultJobs.WINDOW_MS;
    return key + "@" + Instant.ofEpochMilli(start);
  }

  private static String read(String row, String field) {
    try {
      return JSON.readTree(row).path(field).asText();
    } catch (IOException e) {
      throw new UncheckedIOException("a row that is not JSON: " + row, e);
    }
  }
}
