package dev.streamfirst.benchmarks;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.streamfirst.runners.flink.FlinkClusterSettings;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A real Kafka broker and a real Flink session cluster (JobManager and TaskManager JVMs) on
 * loopback, started with the project's own launchers, for benchmarks that measure jobs as users run
 * them. Jobs are submitted with the bundled jar staged.
 *
 * <pre>{@code
 * try (BenchmarkServers servers = BenchmarkServers.start(Path.of("benchmarks/target/servers"))) {
 *   String topic = servers.createTopic("events", 2, true);
 *   // --runner=FlinkRunner --flinkMaster=servers.flinkMaster() --filesToStage=servers.bundledJar()
 * }
 * }</pre>
 */
public final class BenchmarkServers implements AutoCloseable {
  /** Where the cluster's libraries are ({@code runners/flink-cluster/target/lib} by default). */
  public static final String LIB_PROPERTY = "streamfirst.flink.lib";

  /** The bundled jar that jobs are staged with ({@code runners/target/streamfirst-bundled.jar}). */
  public static final String JAR_PROPERTY = "streamfirst.bundledJar";

  /**
   * The TaskManager's total process memory, e.g. {@code 4g} (Flink's {@code
   * taskmanager.memory.process.size}; unset: the cluster's default, a heap of about 570 MB).
   */
  public static final String TASK_MANAGER_MEMORY_PROPERTY = "streamfirst.taskManagerMemory";

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static BenchmarkServers shared;

  private final KafkaBroker kafka;
  private final FlinkSessionCluster flink;
  private final Admin admin;
  private final String bundledJar;

  private BenchmarkServers(KafkaBroker kafka, FlinkSessionCluster flink, String bundledJar) {
    this.kafka = kafka;
    this.flink = flink;
    this.bundledJar = bundledJar;
    this.admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /**
   * Starts both servers, the cluster with 2 slots under {@code work}; the caller closes them.
   *
   * @throws IllegalStateException if the libraries or the bundled jar are missing (build first)
   */
  public static BenchmarkServers start(Path work) {
    Path lib = Path.of(System.getProperty(LIB_PROPERTY, "runners/flink-cluster/target/lib"));
    Path jar = Path.of(System.getProperty(JAR_PROPERTY, "runners/target/streamfirst-bundled.jar"));
    if (!Files.isDirectory(lib) || !Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the Flink cluster's libraries ("
              + lib.toAbsolutePath()
              + ") or the bundled jar ("
              + jar.toAbsolutePath()
              + ") are missing; build first: mvn -B -o -pl benchmarks -am package -DskipTests");
    }
    KafkaBroker kafka = KafkaBroker.start();
    try {
      FlinkClusterSettings settings =
          FlinkClusterSettings.in(work.resolve("flink-" + ProcessHandle.current().pid()), lib)
              .withRestPort(freePort())
              .withRpcPort(freePort())
              .withSlots(2)
              // A failed job must end the measurement, not restart and blur it.
              .withConfig("restart-strategy.type", "none")
              // The REST API's records and busy times are at most this old (Flink's: 10 s), so a
              // rate read from them spans the run, not a few coarse steps.
              .withConfig("metrics.fetcher.update-interval", "1000");
      String memory = System.getProperty(TASK_MANAGER_MEMORY_PROPERTY);
      if (memory != null) {
        settings = settings.withConfig("taskmanager.memory.process.size", memory);
      }
      FlinkSessionCluster flink = FlinkSessionCluster.start(settings, Duration.ofMinutes(4));
      return new BenchmarkServers(kafka, flink, jar.toAbsolutePath().toString());
    } catch (IOException | RuntimeException e) {
      kafka.close();
      throw e instanceof IOException
          ? new UncheckedIOException("cannot start the Flink cluster", (IOException) e)
          : (RuntimeException) e;
    }
  }

  /** Servers shared by every caller in this JVM (the smoke tests), stopped when it exits. */
  public static synchronized BenchmarkServers shared(Path work) {
    if (shared == null) {
      BenchmarkServers started = start(work);
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-benchmark-servers"));
      shared = started;
    }
    return shared;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** {@code localhost:<port>}, for {@code --flinkMaster}. */
  public String flinkMaster() {
    return flink.master();
  }

  /** The port of the cluster's REST API (what a Flink client submits to). */
  public int flinkRestPort() {
    return flink.restPort();
  }

  /** The TaskManager's process id, to read its CPU use. */
  public long taskManagerPid() {
    return flink.taskManagerPid();
  }

  public FlinkRest flinkRest() {
    return flink.rest();
  }

  public Path flinkHome() {
    return flink.home();
  }

  /** For {@code --filesToStage}. */
  public String bundledJar() {
    return bundledJar;
  }

  /**
   * Creates a topic with a unique name. With {@code appendTime}, the broker stamps each record with
   * the time it appended it ({@code LogAppendTime}), which the producer then gets back.
   */
  public String createTopic(String prefix, int partitions, boolean appendTime) {
    String name = prefix + "-" + TOPICS.incrementAndGet() + "-" + System.nanoTime();
    NewTopic topic = new NewTopic(name, partitions, (short) 1);
    if (appendTime) {
      topic.configs(Map.of("message.timestamp.type", "LogAppendTime"));
    }
    try {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
    }
    return name;
  }

  /**
   * How many records of {@code topic} consumer group {@code group} has not committed yet (all of
   * them while it has committed nothing).
   */
  public long lag(String group, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (var partition :
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, SECONDS)
              .get(topic)
              .partitions()) {
        latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
      }
      long lag = 0;
      for (var end : admin.listOffsets(latest).all().get(30, SECONDS).entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        lag += end.getValue().offset() - (done == null ? 0 : done.offset());
      }
      return lag;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the lag of " + group, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the lag of group " + group + ": " + e, e);
    }
  }

  @Override
  public synchronized void close() {
    admin.close(Duration.ofSeconds(5));
    flink.stop(Duration.ofSeconds(20));
    kafka.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
