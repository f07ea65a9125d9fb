package dev.streamfirst.runners.faults;

import dev.streamfirst.runners.flink.FlinkClusterSettings;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.SharedFlinkCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the fault tests share: a Flink cluster of their own, the streaming rollup they run (Kafka to
 * Kafka, exactly once, checkpoints every second), waiting for checkpoints and rows, and the line
 * each prints for docs/reliability.md.
 */
final class FaultJobs {
  /** The rollup's window; small, so that many windows close while the faults happen. */
  static final long WINDOW_MS = 5_000;

  /** How far behind the newest event time the source's watermark stays. */
  static final long MAX_DISORDER_MS = 3_000;

  static final Duration TIMEOUT = Duration.ofMinutes(3);

  private FaultJobs() {}

  /** The cluster's libraries, as the build copied them. */
  static Path lib() {
    return Path.of(System.getProperty(SharedFlinkCluster.LIB_PROPERTY));
  }

  /**
   * A Flink cluster for one test, which may kill its processes: two slots, and heartbeats every
   * second so that a lost TaskManager is noticed in seconds rather than Flink's 50.
   */
  static FlinkSessionCluster startCluster(String name) throws IOException {
    return startCluster(settings(name));
  }

  /** Starts a cluster, after stopping any that a killed test JVM left behind. */
  static FlinkSessionCluster startCluster(FlinkClusterSettings settings) throws IOException {
    Path homes = settings.home().getParent();
    if (Files.isDirectory(homes)) {
      try (Stream<Path> dirs = Files.list(homes)) {
        dirs.filter(h -> !h.equals(settings.home()))
            .forEach(
                h -> FlinkSessionCluster.find(h).ifPresent(c -> c.stop(Duration.ofSeconds(10))));
      }
    }
    return FlinkSessionCluster.start(settings, TIMEOUT);
  }

  /** A cluster of this test JVM on free ports. */
  static FlinkClusterSettings settings(String name) throws IOException {
    Path homes = lib().getParent().getParent().getParent().resolve("target/flink-faults");
    return FlinkClusterSettings.in(homes.resolve(name + "-" + ProcessHandle.current().pid()), lib())
        .withRestPort(freePort())
        .withRpcPort(freePort())
        .withSlots(2)
        .withConfig("heartbeat.interval", "1000")
        .withConfig("heartbeat.timeout", "10000");
  }

  /**
   * The streaming rollup's flags: Kafka in, rows to Kafka exactly once, 5 s windows, a checkpoint
   * every second, and a restart strategy of its own (the shared test cluster has none).
   */
  static List<String> rollupFlags(
      String master,
      String jobName,
      KafkaBroker kafka,
      String inTopic,
      String outTopic,
      Path work,
      String... more) {
    return rollupFlags(master, jobName, kafkaSource(kafka, inTopic), kafka, outTopic, work, more);
  }

  /**
   * The rollup's source: a Kafka topic from its start, watermark {@link #MAX_DISORDER_MS} behind.
   */
  static String kafkaSource(KafkaBroker kafka, String inTopic) {
    return "kafka://"
        + kafka.bootstrapServers()
        + "/"
        + inTopic
        + "?from=earliest&maxDisorder="
        + MAX_DISORDER_MS
        + "ms";
  }

  /** The same rollup reading {@code source} (a URI) instead of a Kafka topic. */
  static List<String> rollupFlags(
      String master,
      String jobName,
      String source,
      KafkaBroker kafka,
      String outTopic,
      Path work,
      String... more) {
    return rollupFlags(
        master,
        jobName,
        source,
        kafka,
        outTopic,
        "file://" + work.resolve("dead-letters"),
        2,
        more);
  }

  /** The same rollup at {@code parallelism}, its dead letters to {@code deadLetter} (a URI). */
  static List<String> rollupFlags(
      String master,
      String jobName,
      String source,
      KafkaBroker kafka,
      String outTopic,
      String deadLetter,
      int parallelism,
      String... more) {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--runner=FlinkRunner",
                "--flinkMaster=" + master,
                "--filesToStage=" + SharedFlinkCluster.bundledJar(),
                "--parallelism=" + parallelism,
                "--jobName=" + jobName,
                "--source=" + source,
                "--sink=kafka://"
                    + kafka.bootstrapServers()
                    + "/"
                    + outTopic
                    + "?delivery=exactly-once&shards=2&sinkGroup=sink-"
                    + outTopic,
                "--deadLetter=" + deadLetter,
                "--window=fixed:" + WINDOW_MS + "ms",
                "--checkpointingInterval=1000",
                "--numberOfExecutionRetries=30",
                "--executionRetryDelay=1000"));
    flags.addAll(List.of(more));
    return flags;
  }

  static String awaitJob(FlinkRest rest, String name) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      var job = rest.jobNamed(name);
      if (job.isPresent()) {
        return job.get().id();
      }
      Thread.sleep(250);
    }
    throw new IOException("job " + name + " never appeared at " + rest.uri());
  }

  /**
   * Waits for the first checkpoint triggered after {@code after} to complete: the job runs again
   * and its state is safe. Returns when it completed.
   */
  static Instant awaitCheckpointAfter(FlinkRest rest, String jobId, Instant after)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    IOException last = null;
    while (Instant.now().isBefore(deadline)) {
      String state = rest.jobState(jobId);
      if (FlinkRest.TERMINAL_STATES.contains(state)) {
        throw new IOException("job " + jobId + " ended " + state);
      }
      try {
        var latest = rest.latestCheckpoint(jobId);
        if (latest.isPresent() && latest.get().triggered().isAfter(after)) {
          return latest.get().completed();
        }
      } catch (IOException e) {
        // A job still initializing has no checkpoint statistics yet: the REST API answers 500.
        last = e;
      }
      Thread.sleep(200);
    }
    throw new IOException("job " + jobId + " completed no checkpoint after " + after, last);
  }

  /**
   * Reads the committed rows until every expected window has one, then once more after several
   * checkpoints, so that a row committed twice would show.
   */
  static List<String> awaitRows(KafkaBroker kafka, String topic, RollupAnswer answer)
      throws InterruptedException {
    // The last window closes once the watermark (the clock less the disorder) passes its end.
    Thread.sleep(WINDOW_MS + MAX_DISORDER_MS);
    Instant deadline = Instant.now().plus(TIMEOUT);
    List<String> rows = kafka.readValues(topic);
    while (answer.compare(rows).lost() > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(1_000);
      rows = kafka.readValues(topic);
    }
    Thread.sleep(4_000);
    return kafka.readValues(topic);
  }

  /**
   * One line of the table in docs/reliability.md: fault, times injected, events in, rows expected,
   * rows got, lost, duplicated, recovery time of each injection.
   */
  static String tableRow(
      String fault,
      int injected,
      LiveEvents events,
      RollupAnswer answer,
      RollupAnswer.Comparison c,
      List<Duration> recoveries) {
    return String.format(
        Locale.ROOT,
        "FAULT-TABLE | %s | %d | %d (%d messages) | %d | %d | %d | %d | %s |",
        fault,
        injected,
        answer.eventsIn(),
        events.messages(),
        c.expected(),
        c.got(),
        c.lost(),
        c.duplicated(),
        recoveries.stream()
            .map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0))
            .collect(Collectors.joining(", ")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
