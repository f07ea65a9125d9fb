package dev.streamfirst.benchmarks;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.runners.RunnerDefaults;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.transforms.dedup.Dedup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.SerializableFunctions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The state {@code Dedup} keeps per live id, measured on a real Flink session cluster: a streaming
 * job reads ids from Kafka, passes them through {@code Dedup} (TTL of one day, so every id stays
 * live) and writes what passed back to Kafka. After each batch of new ids has passed, the size of
 * the next completed checkpoint of the dedup operator is read from Flink's REST API. The slope of
 * size over ids is the state per id; the intercept is the per-shard and per-timer overhead.
 *
 * <pre>{@code
 * benchmarks/dedup-state.sh --ids=100000,200000,300000 --backends=hashmap,rocksdb
 * }</pre>
 */
public final class DedupStateBenchmark {
  private static final Duration TTL = Duration.ofDays(1);

  private DedupStateBenchmark() {}

  /** What a run does; every field has a command-line flag of the same name. */
  static final class Settings {
    List<Integer> ids = List.of(100_000, 200_000, 300_000);
    List<String> backends = List.of("hashmap", "rocksdb");
    List<Dedup.Clock> clocks = List.of(Dedup.Clock.EVENT_TIME, Dedup.Clock.PROCESSING_TIME);
    long checkpointMs = 2_000;
    boolean resend = true;

    static Settings parse(String... args) {
      Settings s = new Settings();
      for (String arg : args) {
        String[] kv = arg.replaceFirst("^--", "").split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected --name=value, got " + arg);
        }
        switch (kv[0]) {
          case "ids" -> s.ids = List.of(kv[1].split(",")).stream().map(Integer::parseInt).toList();
          case "backends" -> s.backends = List.of(kv[1].split(","));
          case "clocks" ->
              s.clocks = List.of(kv[1].split(",")).stream().map(Dedup.Clock::valueOf).toList();
          case "checkpointMs" -> s.checkpointMs = Long.parseLong(kv[1]);
          case "resend" -> s.resend = Boolean.parseBoolean(kv[1]);
          default ->
              throw new IllegalArgumentException(
                  "unknown flag --"
                      + kv[0]
                      + "; known: --ids --backends --clocks --checkpointMs --resend");
        }
      }
      return s;
    }
  }

  /**
   * One measurement: the dedup operator's checkpointed state with this many live ids, after this
   * many copies of ids already seen were sent as well (and dropped).
   */
  record Point(int liveIds, int copies, long dedupBytes, long jobBytes) {}

  /** The points of one clock and state backend, and the fitted bytes per id. */
  record Series(Dedup.Clock clock, String backend, int idLength, List<Point> points) {
    /** The points measured right after new ids, which the fit is made of. */
    List<Point> newIds() {
      return points.stream().filter(p -> p.copies() == 0).toList();
    }

    /** Least-squares slope of dedup state bytes over live ids. */
    double bytesPerId() {
      List<Point> fit = newIds();
      double n = fit.size();
      double sx = 0;
      double sy = 0;
      double sxx = 0;
      double sxy = 0;
      for (Point p : fit) {
        sx += p.liveIds();
        sy += p.dedupBytes();
        sxx += (double) p.liveIds() * p.liveIds();
        sxy += (double) p.liveIds() * p.dedupBytes();
      }
      return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    double interceptBytes() {
      double meanX = newIds().stream().mapToDouble(Point::liveIds).average().orElse(0);
      double meanY = newIds().stream().mapToDouble(Point::dedupBytes).average().orElse(0);
      return meanY - bytesPerId() * meanX;
    }
  }

  public static void main(String[] args) {
    Settings settings = Settings.parse(args);
    Path work = Path.of("benchmarks", "target", "dedup-state").toAbsolutePath();
    try (BenchmarkServers servers = BenchmarkServers.start(work)) {
      // Ctrl-C must not leave the cluster's JVMs running.
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close));
      run(servers, settings, work, System.out);
    }
  }

  /** Measures every clock × backend and prints a Markdown table. */
  static List<Series> run(BenchmarkServers servers, Settings s, Path work, PrintStream out) {
    out.printf(
        "dedup state per live id on Flink: ids %s, TTL %s, checkpoints every %d ms, load %s%n",
        s.ids, TTL, s.checkpointMs, LatencyBenchmark.loadAverage());
    List<Series> all = new ArrayList<>();
    for (String backend : s.backends) {
      for (Dedup.Clock clock : s.clocks) {
        all.add(measure(servers, s, work, clock, backend, out));
      }
    }
    out.println();
    out.println(
        "| clock | state backend | live ids | copies dropped | dedup state (bytes)"
            + " | bytes / id at this size | fitted bytes / id | fixed part (bytes) |");
    out.println("|---|---|---|---|---|---|---|---|");
    for (Series series : all) {
      for (Point p : series.points()) {
        out.printf(
            Locale.ROOT,
            "| %s | %s | %,d | %,d | %,d | %.1f | %.1f | %,.0f |%n",
            series.clock(),
            series.backend(),
            p.liveIds(),
            p.copies(),
            p.dedupBytes(),
            (double) p.dedupBytes() / p.liveIds(),
            series.bytesPerId(),
            series.interceptBytes());
      }
    }
    out.printf("(ids are %d-character UUID strings)%n", all.get(0).idLength());
    return all;
  }

  private static Series measure(
      BenchmarkServers servers,
      Settings s,
      Path work,
      Dedup.Clock clock,
      String backend,
      PrintStream out) {
    String ids = servers.createTopic("dedup-ids", 2, false);
    String passed = servers.createTopic("dedup-passed", 2, false);
    String job = "dedup-state-" + clock.name().toLowerCase(Locale.ROOT) + "-" + backend;
    job += "-" + System.nanoTime();
    String kafka = "kafka://" + servers.bootstrapServers() + "/";
    String[] flags = {
      "--runner=FlinkRunner",
      "--flinkMaster=" + servers.flinkMaster(),
      "--filesToStage=" + servers.bundledJar(),
      "--parallelism=2",
      "--streaming=true",
      "--jobName=" + job,
      "--checkpointingInterval=" + s.checkpointMs,
      "--stateBackend=" + backend,
      "--stateBackendStoragePath=" + work.resolve("checkpoints").toUri(),
      "--externalizedCheckpointsEnabled=true",
      "--retainExternalizedCheckpointsOnCancellation=true"
    };
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(flags).as(FlinkPipelineOptions.class);
    RunnerDefaults.beforeBuild(options, flags);
    Pipeline pipeline = Pipeline.create(options);
    Dedup<String> dedup = Dedup.byId(SerializableFunctions.<String>identity()).withTtl(ttl());
    // Event time is the record's append time and the watermark follows it closely, so held ids
    // are released (and become "seen" ids) within a second or so.
    pipeline
        .apply(
            "ReadIds",
            Sources.read(
                kafka + ids + "?group=" + job + "&from=earliest&time=record&maxDisorder=0s"))
        .apply("Dedup", clock == Dedup.Clock.EVENT_TIME ? dedup : dedup.inProcessingTime())
        .apply("WritePassed", Sinks.write(kafka + passed));
    pipeline.run();

    FlinkRest rest = servers.flinkRest();
    CheckpointStats sizes = CheckpointStats.at(servers.flinkMaster());
    String jobId;
    try {
      jobId = awaitJob(rest, job);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Point> points = new ArrayList<>();
    int idLength = 0;
    try {
      String vertex = sizes.vertexNamed(jobId, "DropDuplicates");
      int written = 0;
      for (int target : s.ids) {
        idLength = writeIds(servers.bootstrapServers(), ids, written, target);
        written = target;
        awaitCount(servers.bootstrapServers(), passed, target, rest, jobId);
        points.add(measurePoint(sizes, jobId, vertex, target, 0, clock, backend, out));
      }
      if (s.resend) {
        // Copies of ids already seen must cost no state: send every id once more, in the same
        // batches, and measure again once all of them have been dropped.
        int from = 0;
        for (int target : s.ids) {
          writeIds(servers.bootstrapServers(), ids, from, target);
          from = target;
        }
        awaitDropped(rest, jobId, written);
        points.add(measurePoint(sizes, jobId, vertex, written, written, clock, backend, out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        rest.cancel(jobId);
        rest.awaitJobState(jobId, Set.of("CANCELED"), Duration.ofMinutes(1));
      } catch (IOException e) {
        // Already ended.
      }
    }
    return new Series(clock, backend, idLength, points);
  }

  private static Point measurePoint(
      CheckpointStats sizes,
      String jobId,
      String vertex,
      int liveIds,
      int copies,
      Dedup.Clock clock,
      String backend,
      PrintStream out)
      throws IOException {
    long now = System.currentTimeMillis();
    CheckpointStats.Completed checkpoint = sizes.completedAfter(jobId, now, Duration.ofMinutes(3));
    long bytes = sizes.stateSize(jobId, checkpoint.id(), vertex);
    out.printf(
        Locale.ROOT,
        "%s %s: %,d live ids, %,d copies dropped -> dedup state %,d bytes (whole job %,d)%n",
        clock,
        backend,
        liveIds,
        copies,
        bytes,
        checkpoint.stateSize());
    return new Point(liveIds, copies, bytes, checkpoint.stateSize());
  }

  /** Waits until dedup has dropped {@code count} copies, as its counter reports while running. */
  private static void awaitDropped(FlinkRest rest, String jobId, long count) throws IOException {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
    while (true) {
      long dropped = rest.counters(jobId, "streamfirst").getOrDefault("duplicates_dropped", 0L);
      if (dropped >= count) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException("only " + dropped + " of " + count + " copies were dropped");
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static org.joda.time.Duration ttl() {
    return org.joda.time.Duration.millis(TTL.toMillis());
  }

  /** Writes ids number {@code from} to {@code until} (exclusive); returns an id's length. */
  private static int writeIds(String bootstrap, String topic, int from, int until) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    int length = 0;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      // Random UUIDs, as services usually make them; seeded per batch, so a run is reproducible.
      Random random = new Random(from);
      for (int i = from; i < until; i++) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        length = id.length();
        producer.send(new ProducerRecord<>(topic, id));
      }
      producer.flush();
    }
    return length;
  }

  /** Waits until the job has written {@code count} records, i.e. every id has passed dedup. */
  private static void awaitCount(
      String bootstrap, String topic, long count, FlinkRest rest, String jobId) throws IOException {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      while (true) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        long written = ends.values().stream().mapToLong(Long::longValue).sum();
        if (written >= count) {
          return;
        }
        String state = rest.jobState(jobId);
        if (FlinkRest.TERMINAL_STATES.contains(state)) {
          rest.awaitJobState(jobId, Set.of("RUNNING"), Duration.ZERO);
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IOException(
              "only " + written + " of " + count + " ids passed dedup in job " + jobId);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  private static String awaitJob(FlinkRest rest, String name) throws IOException {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(3).toMillis();
    while (true) {
      var job = rest.jobNamed(name);
      if (job.isPresent()) {
        rest.awaitJobState(job.get().id(), Set.of("RUNNING"), Duration.ofMinutes(3));
        return job.get().id();
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException("job " + name + " never appeared on the cluster");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
