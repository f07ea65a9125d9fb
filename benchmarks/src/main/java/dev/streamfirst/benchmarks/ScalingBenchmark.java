package dev.streamfirst.benchmarks;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkRest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Throughput of the streaming rollup on the real Flink session cluster (2 slots), Kafka to Kafka,
 * at parallelism 1 and 2, with and without a skewed key: the input is written to a topic first,
 * then the job reads it from the start as fast as it can. The rate is measured from the records the
 * job's first task has passed on (Flink's REST metrics, polled every 500 ms) between 10 % and 90 %
 * of the input, so deployment and the tail are left out; the TaskManager's CPU over the same span
 * gives the rate per core. Each keyed step's subtasks are reported with their records and busy
 * time, which is where a hot key would show.
 *
 * <pre>{@code
 * benchmarks/scaling.sh --events=400000 --parallelism=1,2 --skew=0,0.5 --repeats=2
 * }</pre>
 */
public final class ScalingBenchmark {
  private ScalingBenchmark() {}

  /** What a run does; every field has a command-line flag of the same name. */
  static final class Settings {
    int events = 400_000;
    int keys = 1_000;
    int partitions = 4;
    List<Integer> parallelism = List.of(1, 2);
    List<Double> skew = List.of(0.0, 0.5);
    int repeats = 2;
    String window = "10s";

    static Settings parse(String... args) {
      Settings s = new Settings();
      for (String arg : args) {
        String[] kv = arg.replaceFirst("^--", "").split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected --name=value, got " + arg);
        }
        switch (kv[0]) {
          case "events" -> s.events = Integer.parseInt(kv[1]);
          case "keys" -> s.keys = Integer.parseInt(kv[1]);
          case "partitions" -> s.partitions = Integer.parseInt(kv[1]);
          case "parallelism" ->
              s.parallelism = List.of(kv[1].split(",")).stream().map(Integer::parseInt).toList();
          case "skew" ->
              s.skew = List.of(kv[1].split(",")).stream().map(Double::parseDouble).toList();
          case "repeats" -> s.repeats = Integer.parseInt(kv[1]);
          case "window" -> s.window = kv[1];
          default ->
              throw new IllegalArgumentException(
                  "unknown flag --"
                      + kv[0]
                      + "; known: --events --keys --partitions --parallelism --skew --repeats"
                      + " --window");
        }
      }
      for (double skew : s.skew) {
        if (skew < 0 || skew >= 1) {
          throw new IllegalArgumentException(
              "--skew is the share of events on one hot key, from 0 up to (not including) 1; got "
                  + skew);
        }
      }
      return s;
    }
  }

  /** One task's subtasks: records in (a source's: out) and busy share of each. */
  record StepLoad(String step, List<Long> records, List<Double> busy) {
    String describe() {
      return String.format(
          Locale.ROOT,
          "%s: records %s, busy %s",
          step,
          records.stream().map(r -> String.format(Locale.ROOT, "%,d", r)).toList(),
          busy.stream().map(b -> String.format(Locale.ROOT, "%.0f%%", b * 100)).toList());
    }
  }

  /** One measured run. */
  record Result(
      int parallelism,
      double skew,
      int repeat,
      double eventsPerSecond,
      double cpuCores,
      String loadBefore,
      String loadAfter,
      List<StepLoad> steps) {
    double perCore() {
      return cpuCores > 0 ? eventsPerSecond / cpuCores : 0;
    }
  }

  public static void main(String[] args) {
    Settings settings = Settings.parse(args);
    Path work = Path.of("benchmarks", "target", "scaling").toAbsolutePath();
    try (BenchmarkServers servers = BenchmarkServers.start(work)) {
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
      run(servers, settings, System.out);
    }
  }

  static List<Result> run(BenchmarkServers servers, Settings s, PrintStream out) {
    List<Result> results = new ArrayList<>();
    for (double skew : s.skew) {
      String input = servers.createTopic("scaling-in", s.partitions, false);
      writeInput(servers.bootstrapServers(), input, s, skew);
      out.printf(
          Locale.ROOT,
          "wrote %,d events (hot key share %.0f%%) to %s%n",
          s.events,
          skew * 100,
          input);
      for (int repeat = 1; repeat <= s.repeats; repeat++) {
        for (int parallelism : s.parallelism) {
          Result r = runOne(servers, s, input, parallelism, skew, repeat);
          out.printf(
              Locale.ROOT,
              "p=%d skew=%.0f%% #%d: %,.0f events/s, %.2f cores, %,.0f events/s per core, load %s"
                  + " -> %s%n",
              r.parallelism(),
              r.skew() * 100,
              r.repeat(),
              r.eventsPerSecond(),
              r.cpuCores(),
              r.perCore(),
              r.loadBefore(),
              r.loadAfter());
          r.steps().forEach(step -> out.println("    " + step.describe()));
          results.add(r);
        }
      }
    }
    out.println();
    out.println(
        "| parallelism | hot key share | run | events/s | TaskManager CPU (cores) | events/s per"
            + " core | 1-min load before → after |");
    out.println("|---:|---:|---:|---:|---:|---:|---|");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "| %d | %.0f %% | %d | %,.0f | %.2f | %,.0f | %s → %s |%n",
          r.parallelism(),
          r.skew() * 100,
          r.repeat(),
          r.eventsPerSecond(),
          r.cpuCores(),
          r.perCore(),
          r.loadBefore(),
          r.loadAfter());
    }
    return results;
  }

  /**
   * Unique ids, event times 1 ms apart ending a minute ago, values 0–99. With {@code skew}, that
   * share of the events has key {@code hot}; the rest spread evenly over the other keys. Messages
   * carry no Kafka key, so partitions stay even and only the rollup's own keying sees the skew.
   */
  private static void writeInput(String bootstrap, String topic, Settings s, double skew) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    SplittableRandom random = new SplittableRandom(42);
    long start = System.currentTimeMillis() - 60_000 - s.events;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < s.events; i++) {
        String key = random.nextDouble() < skew ? "hot" : "k" + random.nextInt(s.keys);
        String json =
            String.format(
                Locale.ROOT,
                "{\"id\":\"e-%d\",\"key\":\"%s\",\"ts\":%d,\"value\":%d}",
                i,
                key,
                start + i,
                random.nextInt(100));
        producer.send(new ProducerRecord<>(topic, json));
      }
      producer.flush();
    }
  }

  private static Result runOne(
      BenchmarkServers servers, Settings s, String input, int parallelism, double skew, int run) {
    String loadBefore = LatencyBenchmark.loadAverage();
    String job = "scaling-p" + parallelism + "-" + System.nanoTime();
    String kafka = "kafka://" + servers.bootstrapServers() + "/";
    String rows = servers.createTopic("scaling-rows", 2, false);
    String dead = servers.createTopic("scaling-dead", 1, false);
    PreparedRun.of(
            PipelineCatalog.find("rollup").orElseThrow(),
            "--runner=FlinkRunner",
            "--flinkMaster=" + servers.flinkMaster(),
            "--filesToStage=" + servers.bundledJar(),
            "--parallelism=" + parallelism,
            "--maxParallelism=128",
            "--jobName=" + job,
            "--source=" + kafka + input + "?group=" + job + "&from=earliest&maxDisorder=1s",
            "--sink=" + kafka + rows,
            "--deadLetter=" + kafka + dead,
            "--window=fixed:" + s.window)
        .run();
    FlinkRest rest = servers.flinkRest();
    String jobId = LatencyBenchmark.awaitRunning(rest, job);
    try {
      String first =
          rest.vertices(jobId).stream()
              .filter(v -> v.name().startsWith("Source:") && !v.name().contains("Impulse"))
              .findFirst()
              .orElseThrow()
              .id();
      long low = s.events / 10;
      long high = s.events * 9L / 10;
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
      long[] from = null;
      ProcessCpu.Sample cpuFrom = null;
      while (true) {
        long now = System.currentTimeMillis();
        long passed = passedOn(rest, jobId, first);
        if (from == null && passed >= low) {
          from = new long[] {now, passed};
          cpuFrom = ProcessCpu.sample(servers.taskManagerPid());
        } else if (from != null && passed >= high) {
          double cores = ProcessCpu.sample(servers.taskManagerPid()).percentOfCoreSince(cpuFrom);
          double rate = (passed - from[1]) * 1000.0 / Math.max(1, now - from[0]);
          return new Result(
              parallelism,
              skew,
              run,
              rate,
              cores / 100,
              loadBefore,
              LatencyBenchmark.loadAverage(),
              keyedSteps(rest, jobId));
        }
        if (now > deadline || FlinkRest.TERMINAL_STATES.contains(rest.jobState(jobId))) {
          throw new IllegalStateException(
              "job " + job + " passed on " + passed + " of " + s.events + " events, then stopped");
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      try {
        rest.cancel(jobId);
        rest.awaitJobState(jobId, FlinkRest.TERMINAL_STATES, Duration.ofMinutes(1));
      } catch (IOException e) {
        // The next run's job gets its slots once the cluster has freed them.
      }
    }
  }

  /**
   * What the first task (source, parse, and the id-sharding before dedup) has sent on: one record
   * per valid event read, as the input has no dead letters.
   */
  private static long passedOn(FlinkRest rest, String jobId, String vertexId) throws IOException {
    return rest.vertices(jobId).stream()
        .filter(v -> v.id().equals(vertexId))
        .mapToLong(FlinkRest.Vertex::writeRecords)
        .sum();
  }

  /** Every task of the job (its source first), with its subtasks' records and busy share. */
  private static List<StepLoad> keyedSteps(FlinkRest rest, String jobId) throws IOException {
    List<StepLoad> steps = new ArrayList<>();
    List<FlinkRest.Vertex> vertices = rest.vertices(jobId);
    for (FlinkRest.Vertex v : vertices) {
      if (v.name().contains("Impulse")) {
        continue;
      }
      List<FlinkRest.Subtask> subtasks = rest.subtasks(jobId, v.id());
      // A source takes nothing in over the network: what it sent on is what it read.
      boolean source = v.name().startsWith("Source:");
      steps.add(
          new StepLoad(
              shortName(v.name()),
              subtasks.stream().map(t -> source ? t.writeRecords() : t.readRecords()).toList(),
              subtasks.stream()
                  .map(
                      t -> {
                        long all = t.busyMillis() + t.idleMillis() + t.backPressuredMillis();
                        return all == 0 ? 0.0 : (double) t.busyMillis() / all;
                      })
                  .toList()));
    }
    return steps;
  }

  /** The Beam steps a Flink task runs, without the repeated prefixes: the head and the tail. */
  static String shortName(String vertexName) {
    List<String> operators =
        List.of(vertexName.split(" -> ")).stream()
            .map(String::trim)
            .filter(o -> !o.isEmpty())
            .collect(Collectors.toList());
    if (operators.size() <= 2) {
      return String.join(" → ", operators);
    }
    return operators.get(0) + " → … → " + operators.get(operators.size() - 1);
  }
}
