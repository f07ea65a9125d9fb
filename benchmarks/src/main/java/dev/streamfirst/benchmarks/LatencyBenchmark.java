package dev.streamfirst.benchmarks;

import dev.streamfirst.benchmarks.OutputRowCollector.ReadRow;
import dev.streamfirst.benchmarks.PacedProducer.SentEvent;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkRest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency of the rollup on a real Flink session cluster, from Kafka to Kafka: events are
 * written to the input topic at a fixed rate, the job rolls them up in small fixed windows, and a
 * consumer of the output topic notes when each window's row becomes readable. Once with the
 * at-least-once sink and once with the exactly-once (transactional) sink, which the consumer reads
 * {@code read_committed}. See {@link WindowLatency} for what is measured.
 *
 * <pre>{@code
 * benchmarks/latency.sh --rate=1000 --seconds=60 --window=5s --maxDisorder=1s --checkpointMs=1000
 * }</pre>
 */
public final class LatencyBenchmark {
  private LatencyBenchmark() {}

  /** What a run does; every field has a command-line flag of the same name. */
  static final class Settings {
    int rate = 1000;
    int seconds = 60;
    int warmupSeconds = 10;
    long windowMillis = 5_000;
    long maxDisorderMillis = 1_000;
    int keys = 50;
    long checkpointMs = 1_000;
    long caughtUpMillis = 5_000;
    double duplicates = 0.01;
    List<String> deliveries = List.of("at-least-once", "exactly-once");

    static Settings parse(String... args) {
      Settings s = new Settings();
      for (String arg : args) {
        String[] kv = arg.replaceFirst("^--", "").split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected --name=value, got " + arg);
        }
        switch (kv[0]) {
          case "rate" -> s.rate = Integer.parseInt(kv[1]);
          case "seconds" -> s.seconds = Integer.parseInt(kv[1]);
          case "warmup" -> s.warmupSeconds = Integer.parseInt(kv[1]);
          case "window" -> s.windowMillis = millis(kv[1]);
          case "maxDisorder" -> s.maxDisorderMillis = millis(kv[1]);
          case "keys" -> s.keys = Integer.parseInt(kv[1]);
          case "checkpointMs" -> s.checkpointMs = Long.parseLong(kv[1]);
          case "caughtUp" -> s.caughtUpMillis = millis(kv[1]);
          case "duplicates" -> s.duplicates = Double.parseDouble(kv[1]);
          case "delivery" -> s.deliveries = List.of(kv[1].split(","));
          default ->
              throw new IllegalArgumentException(
                  "unknown flag --"
                      + kv[0]
                      + "; known: --rate --seconds --warmup --window --maxDisorder --keys"
                      + " --checkpointMs --caughtUp --duplicates --delivery");
        }
      }
      return s;
    }

    private static long millis(String duration) {
      return dev.streamfirst.transforms.time.Durations.parse(duration).getMillis();
    }

    String window() {
      return windowMillis % 1000 == 0 ? windowMillis / 1000 + "s" : windowMillis + "ms";
    }

    String maxDisorder() {
      return maxDisorderMillis + "ms";
    }
  }

  /** The outcome of one delivery mode. */
  record Result(
      String delivery,
      int eventsSent,
      double rateAchieved,
      WindowLatency latency,
      CheckpointStats.Durations checkpoints,
      String loadBefore,
      String loadAfter) {}

  public static void main(String[] args) {
    Settings settings = Settings.parse(args);
    Path work = Path.of("benchmarks", "target", "latency").toAbsolutePath();
    List<Result> results;
    try (BenchmarkServers servers = BenchmarkServers.start(work)) {
      // Ctrl-C must not leave the cluster's JVMs running.
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
      results = run(servers, settings, System.out);
    }
    boolean wrong =
        results.stream().anyMatch(r -> r.latency().missing > 0 || r.latency().wrong > 0);
    if (wrong) {
      System.err.println("some rows were missing or wrong: the figures above are not valid");
      System.exit(1);
    }
  }

  /** Runs each delivery mode in turn on the given servers and prints a Markdown table. */
  static List<Result> run(BenchmarkServers servers, Settings settings, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "rollup latency on Flink: %d events/s, measured for %d s from %d s after the job caught up, %d keys,"
            + " --window=fixed:%s, maxDisorder=%s, checkpoints every %d ms, %.0f%% re-delivered%n",
        settings.rate,
        settings.seconds,
        settings.warmupSeconds,
        settings.keys,
        settings.window(),
        settings.maxDisorder(),
        settings.checkpointMs,
        settings.duplicates * 100);
    List<Result> results = new ArrayList<>();
    for (String delivery : settings.deliveries) {
      results.add(runOne(servers, settings, delivery, out));
    }
    out.println();
    out.println(
        "| sink | rows | p50 ms | p95 ms | p99 ms | max ms | watermark wait p50 ms"
            + " | processing p50 ms | processing p99 ms | events/s sent"
            + " | checkpoints: completed, p50 / max ms | load before → after |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      WindowLatency l = r.latency();
      Percentiles total = l.total();
      out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %.0f | %d, %d / %d | %s → %s |%n",
          r.delivery(),
          total.count(),
          total.at(50),
          total.at(95),
          total.at(99),
          total.max(),
          l.watermarkWait().at(50),
          l.processing().at(50),
          l.processing().at(99),
          r.rateAchieved(),
          r.checkpoints().completed(),
          r.checkpoints().p50(),
          r.checkpoints().max(),
          r.loadBefore(),
          r.loadAfter());
    }
    return results;
  }

  private static Result runOne(
      BenchmarkServers servers, Settings s, String delivery, PrintStream out) {
    String loadBefore = loadAverage();
    String input = servers.createTopic("latency-in", 2, true);
    String rows = servers.createTopic("latency-rows", 2, false);
    String dead = servers.createTopic("latency-dead", 1, false);
    String job = "latency-" + delivery + "-" + System.nanoTime();
    String kafka = "kafka://" + servers.bootstrapServers() + "/";
    String sink =
        delivery.equals("exactly-once")
            ? kafka + rows + "?delivery=exactly-once&sinkGroup=" + job
            : kafka + rows;
    String[] flags = {
      "--runner=FlinkRunner",
      "--flinkMaster=" + servers.flinkMaster(),
      "--filesToStage=" + servers.bundledJar(),
      "--parallelism=2",
      "--jobName=" + job,
      "--checkpointingInterval=" + s.checkpointMs,
      "--source="
          + kafka
          + input
          + "?group="
          + job
          // From the newest record when the job starts: what was written while it was being
          // deployed is skipped rather than worked off first (those windows are not measured).
          + "&from=latest&maxDisorder="
          + s.maxDisorder(),
      "--sink=" + sink,
      "--deadLetter=" + kafka + dead,
      "--window=fixed:" + s.window(),
      "--dedupTtl=1m"
    };
    FlinkRest rest = servers.flinkRest();
    PreparedRun.of(PipelineCatalog.find("rollup").orElseThrow(), flags).run();
    String jobId = awaitRunning(rest, job);
    out.printf("%s: job %s running%n", delivery, jobId);
    try (OutputRowCollector collector =
        OutputRowCollector.start(servers.bootstrapServers(), rows)) {
      // Measuring starts a warm-up after the job has caught up: before that, it is still being
      // deployed or working off what arrived meanwhile, which says nothing about steady latency.
      AtomicLong end = new AtomicLong(Long.MAX_VALUE);
      PacedProducer producer =
          new PacedProducer(servers.bootstrapServers(), input, s.rate, s.keys, s.duplicates, 7);
      CompletableFuture<List<SentEvent>> sending =
          CompletableFuture.supplyAsync(() -> producer.produceUntil(end::get));
      List<SentEvent> sent;
      long from;
      long until;
      try {
        awaitCaughtUp(servers, collector, job, input, jobId, sending, s);
        from = ceil(System.currentTimeMillis() + s.warmupSeconds * 1000L, s.windowMillis);
        until = ceil(from + s.seconds * 1000L, s.windowMillis);
        end.set(until);
        sent = sending.join();
      } finally {
        end.set(0);
      }
      out.printf(
          Locale.ROOT,
          "%s: sent %,d events at %.0f/s; waiting for the last rows%n",
          delivery,
          sent.size(),
          PacedProducer.achievedRate(sent));
      // Generous: on a busy machine a checkpoint, which exactly-once rows wait for, can take long.
      long deadline = System.currentTimeMillis() + s.maxDisorderMillis + 300_000;
      WindowLatency latency;
      while (true) {
        List<ReadRow> read = collector.rows();
        latency =
            WindowLatency.measure(sent, read, s.windowMillis, s.maxDisorderMillis, from, until);
        if (latency.missing == 0 || System.currentTimeMillis() > deadline) {
          break;
        }
        requireRunning(rest, jobId);
        sleep(500);
      }
      out.printf(
          "%s: %d rows measured, %d missing, %d wrong; median by window (ms): %s%n",
          delivery,
          latency.samples.size(),
          latency.missing,
          latency.wrong,
          latency.medianByWindow());
      return new Result(
          delivery,
          sent.size(),
          PacedProducer.achievedRate(sent),
          latency,
          checkpointDurations(servers, jobId),
          loadBefore,
          loadAverage());
    } finally {
      cancel(rest, jobId);
    }
  }

  /**
   * Waits until the job writes rows and reads its input less than {@code caughtUp} behind: what its
   * consumer group has committed (at each checkpoint) is within that many seconds of events of the
   * topic's end. This says nothing about the sink, so it holds for both delivery modes.
   */
  private static void awaitCaughtUp(
      BenchmarkServers servers,
      OutputRowCollector collector,
      String group,
      String input,
      String jobId,
      CompletableFuture<List<SentEvent>> sending,
      Settings s) {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    long allowed = s.rate * s.caughtUpMillis / 1000;
    while (collector.rows().isEmpty() || servers.lag(group, input) > allowed) {
      if (sending.isDone()) {
        sending.join(); // the producer failed: say why
      }
      requireRunning(servers.flinkRest(), jobId);
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "job "
                + jobId
                + " did not keep up with "
                + s.rate
                + " events/s within 5 minutes (its input lag stayed above --caughtUp="
                + s.caughtUpMillis
                + "ms of events); lower --rate");
      }
      sleep(500);
    }
  }

  private static CheckpointStats.Durations checkpointDurations(
      BenchmarkServers servers, String jobId) {
    try {
      return CheckpointStats.at(servers.flinkMaster()).durations(jobId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long ceil(long millis, long step) {
    return Math.floorDiv(millis + step - 1, step) * step;
  }

  private static String awaitRunning(FlinkRest rest, String name) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    try {
      while (true) {
        var job = rest.jobNamed(name);
        if (job.isPresent()) {
          rest.awaitJobState(job.get().id(), Set.of("RUNNING"), Duration.ofMinutes(3));
          return job.get().id();
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("job " + name + " never appeared on the cluster");
        }
        sleep(250);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireRunning(FlinkRest rest, String jobId) {
    try {
      String state = rest.jobState(jobId);
      if (FlinkRest.TERMINAL_STATES.contains(state)) {
        rest.awaitJobState(jobId, Set.of("RUNNING"), Duration.ZERO);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("job " + jobId + " stopped while being measured", e);
    }
  }

  private static void cancel(FlinkRest rest, String jobId) {
    try {
      rest.cancel(jobId);
      rest.awaitJobState(jobId, Set.of("CANCELED"), Duration.ofMinutes(1));
    } catch (IOException e) {
      // Already ended: nothing left to stop.
    }
  }

  /** The 1-minute load average, to say how busy the shared machine was. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
