package dev.streamfirst.runners.flink;

import com.google.auto.value.AutoValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a local Flink session cluster keeps its state and which ports it uses: REST and web UI,
 * RPC, and the two on which Prometheus scrapes its metrics.
 *
 * <pre>{@code
 * FlinkClusterSettings settings =
 *     FlinkClusterSettings.in(Path.of(".flink"), Path.of("runners/flink-cluster/target/lib"))
 *         .withRestPort(8082)
 *         .withConfig("taskmanager.memory.process.size", "4g");
 * }</pre>
 */
@AutoValue
public abstract class FlinkClusterSettings {
  public static final int DEFAULT_REST_PORT = 8081;
  public static final int DEFAULT_RPC_PORT = 6123;

  /** Flink's own default for its Prometheus reporter; the TaskManager takes the next port. */
  public static final int DEFAULT_METRICS_PORT = 9249;

  /** The cluster's folder: configuration, logs, pids, checkpoints, savepoints, temp files. */
  public abstract Path home();

  /** The cluster's libraries: Flink's runtime, web UI, RocksDB and a log4j2 binding. */
  public abstract Path lib();

  /** REST API and web UI port, on localhost. */
  public abstract int restPort();

  /** JobManager RPC port, on localhost; TaskManagers connect to it. */
  public abstract int rpcPort();

  /**
   * The first of the two ports on which the JobManager and the TaskManager serve their metrics
   * (their own and every job's) to Prometheus at {@code /metrics}; each process takes the first of
   * the two that is free.
   */
  public abstract int metricsPort();

  /** Task slots of the one TaskManager: the most parallelism a job gets. */
  public abstract int slots();

  /** Flink configuration that overrides or adds to the generated one. */
  public abstract Map<String, String> config();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setHome(Path home);

    abstract Builder setLib(Path lib);

    abstract Builder setRestPort(int port);

    abstract Builder setRpcPort(int port);

    abstract Builder setMetricsPort(int port);

    abstract Builder setSlots(int slots);

    abstract Builder setConfig(Map<String, String> config);

    abstract FlinkClusterSettings build();
  }

  /** Ports 8081 (REST) and 6123 (RPC), one slot per core. */
  public static FlinkClusterSettings in(Path home, Path lib) {
    return new AutoValue_FlinkClusterSettings.Builder()
        .setHome(home.toAbsolutePath().normalize())
        .setLib(lib.toAbsolutePath().normalize())
        .setRestPort(DEFAULT_REST_PORT)
        .setRpcPort(DEFAULT_RPC_PORT)
        .setMetricsPort(DEFAULT_METRICS_PORT)
        .setSlots(Math.max(1, Runtime.getRuntime().availableProcessors()))
        .setConfig(Map.of())
        .build();
  }

  public FlinkClusterSettings withRestPort(int port) {
    return toBuilder().setRestPort(checkPort("withRestPort", port)).build();
  }

  public FlinkClusterSettings withRpcPort(int port) {
    return toBuilder().setRpcPort(checkPort("withRpcPort", port)).build();
  }

  /** The first of the two Prometheus ports ({@link #metricsPort()}). */
  public FlinkClusterSettings withMetricsPort(int port) {
    if (port < 1 || port > 65534) {
      throw new IllegalArgumentException(
          "withMetricsPort() must be a TCP port in 1..65534 (the next one is used too), got "
              + port);
    }
    return toBuilder().setMetricsPort(port).build();
  }

  public FlinkClusterSettings withSlots(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("withSlots() must be at least 1, got " + slots);
    }
    return toBuilder().setSlots(slots).build();
  }

  /** Sets one Flink configuration key, e.g. {@code taskmanager.memory.process.size: 4g}. */
  public FlinkClusterSettings withConfig(String key, String value) {
    if (key == null || key.isBlank() || value == null) {
      throw new IllegalArgumentException(
          "withConfig() needs a key and a value, e.g. taskmanager.memory.process.size=4g; got "
              + key
              + "="
              + value);
    }
    Map<String, String> config = new LinkedHashMap<>(config());
    config.put(key.trim(), value);
    return toBuilder().setConfig(Map.copyOf(config)).build();
  }

  private static int checkPort(String method, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(method + "() must be a TCP port in 1..65535, got " + port);
    }
    return port;
  }
}
