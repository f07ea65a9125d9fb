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
import org.apache.flink.core.execution.JobClient;

/**
 * Latency of the rollup on a real Flink session cluster, from Kafka to Kafka: events are written to
 * the input topic at a fixed rate, the job rolls them up in small fixed windows, and a consumer of
 * the output topic notes when each window's row becomes readable. Each rate × delivery mode
 * (at-least-once, and exactly-once: a transactional sink read {@code read_committed}) × variant
 * runs in turn, one job at a time on fresh topics: the Streamfirst rollup as users submit it, and
 * the same job written natively for Flink ({@link NativeLatencyJob}) as the anchor. See {@link
 * WindowLatency} for what is measured; the TaskManager's CPU use over the measured span is reported
 * too.
 *
 * <pre>{@code
 * benchmarks/latency.sh --rates=1000,5000 --seconds=30 --window=1s --maxDisorder=1s \
 *     --variants=streamfirst,native --jobFlags=--maxBundleTimeMills=20
 * }</pre>
 */
public final class LatencyBenchmark {
  private LatencyBenchmark() {}

  /** Which job is measured. */
  enum JobVariant {
    /** The Streamfirst rollup, submitted as users run it. */
    STREAMFIRST("streamfirst"),
    /** The same rollup written natively for Flink ({@link NativeLatencyJob}). */
    NATIVE("native");

    final String flag;

    JobVariant(String flag) {
      this.flag = flag;
    }

    static JobVariant of(String flag) {
      for (JobVariant v : values()) {
        if (v.flag.equals(flag)) {
          return v;
        }
      }
      throw new IllegalArgumentException(
          "unknown --variants entry " + flag + "; known: streamfirst, native");
    }
  }

  /** What a run does; every field has a command-line flag of (nearly) the same name. */
  static final class Settings {
    List<Integer> rates = List.of(1000);
    int seconds = 60;
    int warmupSeconds = 10;
    long windowMillis = 5_000;
    long maxDisorderMillis = 1_000;
    int keys = 50;
    long checkpointMs = 1_000;
    long caughtUpMillis = 5_000;
    double duplicates = 0.01;
    List<String> deliveries = List.of("at-least-once", "exactly-once");
    List<JobVariant> variants = List.of(JobVariant.STREAMFIRST, JobVariant.NATIVE);
    List<String> jobFlags = List.of();
    long nativeBufferTimeoutMs = 10;

    static Settings parse(String... args) {
      Settings s = new Settings();
      for (String arg : args) {
        String[] kv = arg.replaceFirst("^--", "").split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected --name=value, got " + arg);
        }
        switch (kv[0]) {
          case "rate", "rates" -> s.rates = list(kv[1]).stream().map(Integer::parseInt).toList();
          case "seconds" -> s.seconds = Integer.parseInt(kv[1]);
          case "warmup" -> s.warmupSeconds = Integer.parseInt(kv[1]);
          case "window" -> s.windowMillis = millis(kv[1]);
          case "maxDisorder" -> s.maxDisorderMillis = millis(kv[1]);
          case "keys" -> s.keys = Integer.parseInt(kv[1]);
          case "checkpointMs" -> s.checkpointMs = Long.parseLong(kv[1]);
          case "caughtUp" -> s.caughtUpMillis = millis(kv[1]);
          case "duplicates" -> s.duplicates = Double.parseDouble(kv[1]);
          case "delivery" -> s.deliveries = list(kv[1]);
          case "variants" -> s.variants = list(kv[1]).stream().map(JobVariant::of).toList();
          case "jobFlags" -> s.jobFlags = List.of(kv[1].trim().split("[\\s,]+"));
          case "nativeBufferTimeoutMs" -> s.nativeBufferTimeoutMs = Long.parseLong(kv[1]);
          default ->
              throw new IllegalArgumentException(
                  "unknown flag --"
                      + kv[0]
                      + "; known: --rates (or --rate) --seconds --warmup --window --maxDisorder"
                      + " --keys --checkpointMs --caughtUp --duplicates --delivery --variants"
                      + " --jobFlags --nativeBufferTimeoutMs");
        }
      }
      for (String delivery : s.deliveries) {
        if (!delivery.equals("at-least-once") && !delivery.equals("exactly-once")) {
          throw new IllegalArgumentException(
              "--delivery takes at-least-once and/or exactly-once, got " + delivery);
        }
      }
      for (String flag : s.jobFlags) {
        if (!flag.startsWith("--") || !flag.contains("=")) {
          throw new IllegalArgumentException(
              "--jobFlags takes --name=value flags separated by spaces or commas, got " + flag);
        }
      }
      return s;
    }

    private static List<String> list(String value) {
      return List.of(value.split(","));
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

  /** The outcome of one job: a variant, a delivery mode and a rate. */
  record Result(
      JobVariant variant,
      String delivery,
      int rate,
      int eventsSent,
      double rateAchieved,
      WindowLatency latency,
      CheckpointStats.Durations checkpoints,
      double taskManagerCpuPercent,
      String loadBefore,
      String loadAfter,
      String failure) {
    /** Whether the figures count: the job kept up and every measured window had its right row. */
    boolean valid() {
      return failure == null && latency.valid();
    }

    /** A run that ended without figures: the job did not keep up, or failed. */
    static Result failed(
        JobVariant variant, String delivery, int rate, String loadBefore, String failure) {
      return new Result(
          variant,
          delivery,
          rate,
          0,
          0,
          WindowLatency.none(),
          new CheckpointStats.Durations(0, 0, 0),
          0,
          loadBefore,
          loadAverage(),
          failure);
    }
  }

  public static void main(String[] args) {
    Settings settings = Settings.parse(args);
    Path work = Path.of("benchmarks", "target", "latency").toAbsolutePath();
    List<Result> results;
    try (BenchmarkServers servers = BenchmarkServers.start(work)) {
      // Ctrl-C must not leave the cluster's JVMs running.
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
      results = run(servers, settings, System.out);
    }
    if (results.stream().anyMatch(r -> !r.valid())) {
      System.err.println("some rows were missing or wrong: the runs marked INVALID do not count");
      System.exit(1);
    }
  }

  /**
   * Runs each rate × delivery mode × variant in turn, one job at a time on fresh topics, and prints
   * a Markdown table.
   */
  static List<Result> run(BenchmarkServers servers, Settings settings, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "rollup latency on Flink, Kafka to Kafka: measured for %d s from %d s after the job caught"
            + " up, %d keys, --window=fixed:%s, maxDisorder=%s, checkpoints every %d ms, %.0f%%"
            + " re-delivered; Streamfirst job flags added: %s; native buffer timeout %d ms%n",
        settings.seconds,
        settings.warmupSeconds,
        settings.keys,
        settings.window(),
        settings.maxDisorder(),
        settings.checkpointMs,
        settings.duplicates * 100,
        settings.jobFlags.isEmpty() ? "none" : String.join(" ", settings.jobFlags),
        settings.nativeBufferTimeoutMs);
    List<Result> results = new ArrayList<>();
    for (int rate : settings.rates) {
      for (String delivery : settings.deliveries) {
        for (JobVariant variant : settings.variants) {
          results.add(runOrRecordFailure(servers, settings, variant, delivery, rate, out));
        }
      }
    }
    out.println();
    out.println(
        "latency = row readable − (window end + maxDisorder): what the job adds to the wait any"
            + " correct job must make");
    out.println(
        "| variant | delivery | rate | rows checked | missing | wrong | p50 | p95 | p99 | max (ms)"
            + " | events/s sent | checkpoints | checkpoint p50 / max ms | TaskManager CPU"
            + " (% of a core) | since last event p50 ms | load before → after | valid |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      WindowLatency l = r.latency();
      Percentiles latency = l.latency();
      out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %.0f | %d | %d / %d | %.0f | %d"
              + " | %s → %s | %s |%n",
          r.variant().flag,
          r.delivery(),
          r.rate(),
          l.expectedRows,
          l.missing,
          l.wrong,
          latency.at(50),
          latency.at(95),
          latency.at(99),
          latency.max(),
          r.rateAchieved(),
          r.checkpoints().completed(),
          r.checkpoints().p50(),
          r.checkpoints().max(),
          r.taskManagerCpuPercent(),
          l.sinceLastEvent().at(50),
          r.loadBefore(),
          r.loadAfter(),
          r.valid() ? "yes" : r.failure() == null ? "INVALID" : "INVALID: " + r.failure());
    }
    return results;
  }

  /**
   * One run; a job that does not keep up or fails is recorded as an invalid run and the next one
   * goes ahead, so a sweep over rates still reports the rates a variant sustains.
   */
  private static Result runOrRecordFailure(
      BenchmarkServers servers,
      Settings s,
      JobVariant variant,
      String delivery,
      int rate,
      PrintStream out) {
    String loadBefore = loadAverage();
    try {
      return runOne(servers, s, variant, delivery, rate, out);
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      out.printf("%s %s %d/s: no figures: %s%n", variant.flag, delivery, rate, why);
      return Result.failed(variant, delivery, rate, loadBefore, why.replace('|', '/'));
    }
  }

  private static Result runOne(
      BenchmarkServers servers,
      Settings s,
      JobVariant variant,
      String delivery,
      int rate,
      PrintStream out) {
    String loadBefore = loadAverage();
    String input = servers.createTopic("latency-in", 2, true);
    String rows = servers.createTopic("latency-rows", 2, false);
    String job = "latency-" + variant.flag + "-" + delivery + "-" + rate + "-" + System.nanoTime();
    String label = variant.flag + " " + delivery + " " + rate + "/s";
    FlinkRest rest = servers.flinkRest();
    String jobId =
        switch (variant) {
          case STREAMFIRST -> submitStreamfirst(servers, s, delivery, input, rows, job);
          case NATIVE -> submitNative(servers, s, delivery, input, rows, job);
        };
    out.printf("%s: job %s running%n", label, jobId);
    try (OutputRowCollector collector =
        OutputRowCollector.start(servers.bootstrapServers(), rows)) {
      AtomicLong end = new AtomicLong(Long.MAX_VALUE);
      PacedProducer producer =
          new PacedProducer(servers.bootstrapServers(), input, rate, s.keys, s.duplicates, 7);
      CompletableFuture<List<SentEvent>> sending =
          CompletableFuture.supplyAsync(() -> producer.produceUntil(end::get));
      List<SentEvent> sent;
      long from;
      long until;
      double cpu;
      try {
        // Measuring starts a warm-up after the job has caught up: before that, it is still being
        // deployed or working off what arrived meanwhile, which says nothing about steady latency.
        awaitCaughtUp(servers, collector, job, input, jobId, sending, rate, s);
        from = ceil(System.currentTimeMillis() + s.warmupSeconds * 1000L, s.windowMillis);
        until = ceil(from + s.seconds * 1000L, s.windowMillis);
        // Events keep coming until the last measured window's watermark can pass, and a little
        // longer: a stream that stopped would hold the watermark back and penalise those windows.
        end.set(until + s.maxDisorderMillis + 2_000);
        sleepUntil(from, sending);
        ProcessCpu.Sample cpuFrom = ProcessCpu.sample(servers.taskManagerPid());
        sleepUntil(until, sending);
        cpu = ProcessCpu.sample(servers.taskManagerPid()).percentOfCoreSince(cpuFrom);
        sent = sending.join();
      } finally {
        end.set(0);
      }
      out.printf(
          Locale.ROOT,
          "%s: sent %,d events at %.0f/s; waiting for the last rows%n",
          label,
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
          "%s: %d rows measured, %d missing, %d wrong; median latency by window (ms): %s%n",
          label, latency.samples.size(), latency.missing, latency.wrong, latency.medianByWindow());
      return new Result(
          variant,
          delivery,
          rate,
          sent.size(),
          PacedProducer.achievedRate(sent),
          latency,
          checkpointDurations(servers, jobId),
          cpu,
          loadBefore,
          loadAverage(),
          null);
    } finally {
      cancel(rest, jobId);
    }
  }

  private static String submitStreamfirst(
      BenchmarkServers servers,
      Settings s,
      String delivery,
      String input,
      String rows,
      String job) {
    String dead = servers.createTopic("latency-dead", 1, false);
    String kafka = "kafka://" + servers.bootstrapServers() + "/";
    String sink =
        delivery.equals("exactly-once")
            ? kafka + rows + "?delivery=exactly-once&sinkGroup=" + job
            : kafka + rows;
    List<String> flags =
        new ArrayList<>(
            List.of(
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
                    // From the newest record when the job starts: what was written while it was
                    // being deployed is skipped rather than worked off first (not measured).
                    + "&from=latest&maxDisorder="
                    + s.maxDisorder(),
                "--sink=" + sink,
                "--deadLetter=" + kafka + dead,
                "--window=fixed:" + s.window(),
                "--dedupTtl=1m"));
    for (String extra : s.jobFlags) {
      // A flag given twice is an error to Beam: an extra flag replaces the benchmark's own.
      String name = extra.substring(0, extra.indexOf('=') + 1);
      flags.removeIf(f -> f.startsWith(name));
      flags.add(extra);
    }
    PreparedRun.of(PipelineCatalog.find("rollup").orElseThrow(), flags.toArray(String[]::new))
        .run();
    return awaitRunning(servers.flinkRest(), job);
  }

  private static String submitNative(
      BenchmarkServers servers,
      Settings s,
      String delivery,
      String input,
      String rows,
      String job) {
    try {
      JobClient client =
          NativeLatencyJob.builder(servers.bootstrapServers(), input, rows, job)
              .window(s.windowMillis)
              .maxDisorder(s.maxDisorderMillis)
              .checkpointMs(s.checkpointMs)
              .bufferTimeoutMs(s.nativeBufferTimeoutMs)
              .dedupTtl(60_000)
              .exactlyOnce(delivery.equals("exactly-once"))
              .submit(
                  "localhost",
                  servers.flinkRestPort(),
                  NativeLatencyJob.jars(servers.flinkHome().resolve("native-job")),
                  job);
      String jobId = client.getJobID().toString();
      servers.flinkRest().awaitJobState(jobId, Set.of("RUNNING"), Duration.ofMinutes(3));
      return jobId;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot submit the native job " + job + ": " + e, e);
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
      int rate,
      Settings s) {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    long allowed = rate * s.caughtUpMillis / 1000;
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
                + rate
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

  static String awaitRunning(FlinkRest rest, String name) {
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
    String state;
    try {
      state = jobStateRetrying(rest, jobId);
      if (FlinkRest.TERMINAL_STATES.contains(state)) {
        rest.awaitJobState(jobId, Set.of("RUNNING"), Duration.ZERO);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("job " + jobId + " stopped while being measured", e);
    }
  }

  /** The job's state; a loaded JobManager may miss a REST call or two, which is not a verdict. */
  private static String jobStateRetrying(FlinkRest rest, String jobId) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return rest.jobState(jobId);
      } catch (IOException e) {
        last = e;
        sleep(1000);
      }
    }
    throw last;
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

  /** Sleeps until the wall clock reaches {@code millis}; fails early if the producer failed. */
  private static void sleepUntil(long millis, CompletableFuture<?> sending) {
    long wait;
    while ((wait = millis - System.currentTimeMillis()) > 0) {
      if (sending.isDone()) {
        sending.join();
      }
      sleep(Math.min(wait, 200));
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
