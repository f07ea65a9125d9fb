package dev.streamfirst.runners.flink;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
 *
 * <p>Across hosts, the JobManager's host runs with {@link #withHost} (the address the others reach
 * it at) and, if it should run no TaskManager itself, {@link #withoutTaskManager}; each other host
 * runs a TaskManager that {@linkplain #joining joins} it. Every host needs the same {@link
 * #checkpointDir} and {@link #savepointDir}, on storage they all reach.
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

  /** REST API and web UI port, on {@link #host()}. */
  public abstract int restPort();

  /** JobManager RPC port; TaskManagers connect to it. */
  public abstract int rpcPort();

  /**
   * The address other hosts and clients reach this host's processes at: the JobManager's RPC and
   * REST address, and the TaskManager's. {@code localhost} for a cluster on one machine.
   */
  public abstract String host();

  /** The address this host's processes listen on, if not {@link #host()} (e.g. 0.0.0.0). */
  abstract Optional<String> bindHostOverride();

  /**
   * The JobManager's RPC address ({@code host:port}) that this host's TaskManager joins; empty for
   * the JobManager's own host.
   */
  public abstract Optional<String> jobManagerAddress();

  /** Whether the JobManager's host also runs a TaskManager (it does unless told otherwise). */
  public abstract boolean localTaskManager();

  /**
   * Where checkpoints go ({@code state.checkpoints.dir}), as a URI. Every host writes and reads
   * there, so across hosts it must be storage all of them reach.
   */
  public abstract String checkpointDir();

  /** Where savepoints go ({@code state.savepoints.dir}), as a URI; shared like checkpoints. */
  public abstract String savepointDir();

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

    abstract Builder setHost(String host);

    abstract Builder setBindHostOverride(String bindHost);

    abstract Builder setJobManagerAddress(String address);

    abstract Builder setLocalTaskManager(boolean local);

    abstract Builder setCheckpointDir(String uri);

    abstract Builder setSavepointDir(String uri);

    abstract Builder setConfig(Map<String, String> config);

    abstract FlinkClusterSettings build();
  }

  /**
   * Ports 8081 (REST) and 6123 (RPC), one slot per core, on localhost, with checkpoints and
   * savepoints in the folder.
   */
  public static FlinkClusterSettings in(Path home, Path lib) {
    Path folder = home.toAbsolutePath().normalize();
    return new AutoValue_FlinkClusterSettings.Builder()
        .setHome(folder)
        .setLib(lib.toAbsolutePath().normalize())
        .setHost(LOCALHOST)
        .setLocalTaskManager(true)
        .setCheckpointDir(fileUri(folder.resolve("checkpoints")))
        .setSavepointDir(fileUri(folder.resolve("savepoints")))
        .setRestPort(DEFAULT_REST_PORT)
        .setRpcPort(DEFAULT_RPC_PORT)
        .setMetricsPort(DEFAULT_METRICS_PORT)
        .setSlots(Math.max(1, Runtime.getRuntime().availableProcessors()))
        .setConfig(Map.of())
        .build();
  }

  /**
   * A cluster for tests, as the project's own tests and {@code streamfirst-test-flink} run it: free
   * loopback ports (so it meets no cluster started by hand, nor one of a parallel build), two
   * slots, and no restarts, so that a failing job fails its test at once instead of being restarted
   * until the test times out.
   *
   * <p>Every job loads its jar in a class loader of its own, and not all of them are unloaded:
   * after some dozens of jobs Flink's default 256 MB of metaspace ran out and the TaskManager shut
   * itself down. So the TaskManager gets 768 MB of it, with the heap as before (2560 MB in all).
   */
  public static FlinkClusterSettings forTests(Path home, Path lib) throws IOException {
    return in(home, lib)
        .withRestPort(freePort())
        .withRpcPort(freePort())
        .withMetricsPort(freePortPair())
        .withSlots(2)
        .withConfig("restart-strategy.type", "none")
        .withConfig("taskmanager.memory.jvm-metaspace.size", "768m")
        .withConfig("taskmanager.memory.process.size", "2560m");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A free port whose next port is free too: the cluster's two Prometheus ports. */
  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = freePort();
      if (port < 65535) {
        try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // Try another.
        }
      }
    }
    throw new IOException("found no two free consecutive ports for the cluster's metrics");
  }

  /** The address this host's processes listen on: {@link #host()} unless set otherwise. */
  public String bindHost() {
    return bindHostOverride().orElse(host());
  }

  /**
   * The address other hosts and clients reach this host at: a host name they resolve, or an IP
   * address of this machine. Processes listen on it too, unless {@link #withBindHost} says
   * otherwise.
   */
  public FlinkClusterSettings withHost(String host) {
    return toBuilder().setHost(checkHost("withHost", host)).build();
  }

  /** The address to listen on, e.g. {@code 0.0.0.0} for all of this machine's addresses. */
  public FlinkClusterSettings withBindHost(String bindHost) {
    return toBuilder().setBindHostOverride(checkHost("withBindHost", bindHost)).build();
  }

  /** A JobManager host that runs no TaskManager of its own: TaskManagers join from other hosts. */
  public FlinkClusterSettings withoutTaskManager() {
    if (jobManagerAddress().isPresent()) {
      throw new IllegalArgumentException(
          "withoutTaskManager() is for the JobManager's host; these settings join the JobManager"
              + " at "
              + jobManagerAddress().get());
    }
    return toBuilder().setLocalTaskManager(false).build();
  }

  /**
   * Settings for a TaskManager on this host that joins the JobManager at {@code address} ({@code
   * host:port}, its RPC port, 6123 unless changed). This host runs no JobManager.
   */
  public FlinkClusterSettings joining(String address) {
    if (!localTaskManager()) {
      throw new IllegalArgumentException(
          "joining() starts a TaskManager; these settings are for a host without one");
    }
    String value = address == null ? "" : address.trim();
    int colon = value.lastIndexOf(':');
    if (colon < 1 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "joining() takes the JobManager's RPC address as host:port, e.g. 10.0.0.1:6123; got '"
              + address
              + "'");
    }
    String host = checkHost("joining", value.substring(0, colon));
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "joining() takes host:port with a numeric port, e.g. 10.0.0.1:6123; got '"
              + address
              + "'");
    }
    checkPort("joining", port);
    return toBuilder().setJobManagerAddress(host + ":" + port).setRpcPort(port).build();
  }

  /**
   * Where checkpoints go: an absolute path (across hosts, one that every host mounts, e.g. NFS) or
   * a URI of a file system Flink has a plugin for ({@code hdfs://}, {@code s3://}, {@code gs://}).
   */
  public FlinkClusterSettings withCheckpointDir(String dir) {
    return toBuilder().setCheckpointDir(checkDir("withCheckpointDir", dir)).build();
  }

  /** Where savepoints go; the same kinds of place as {@link #withCheckpointDir}. */
  public FlinkClusterSettings withSavepointDir(String dir) {
    return toBuilder().setSavepointDir(checkDir("withSavepointDir", dir)).build();
  }

  /** Whether checkpoints stay in this host's folder, which no other host reaches. */
  public boolean checkpointsInFolder() {
    return checkpointDir().equals(fileUri(home().resolve("checkpoints")));
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

  private static final String LOCALHOST = "localhost";

  /** A host name (labels of letters, digits and hyphens) or an IPv4 address. */
  private static final Pattern HOST =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  private static String checkHost(String method, String host) {
    String value = host == null ? "" : host.trim();
    if (!HOST.matcher(value).matches()) {
      throw new IllegalArgumentException(
          method
              + "() takes a host name or an IPv4 address, e.g. 10.0.0.1 or flink-jm.example.com;"
              + " got '"
              + host
              + "'");
    }
    return value;
  }

  private static String checkDir(String method, String dir) {
    String value = dir == null ? "" : dir.trim();
    if (value.startsWith("/")) {
      return fileUri(Path.of(value));
    }
    if (value.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      try {
        URI uri = new URI(value);
        if (uri.getScheme().equals("file") && !Path.of(uri).isAbsolute()) {
          throw new IllegalArgumentException(method + "() got a relative file URI: " + dir);
        }
        return uri.toString();
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            method + "() got '" + dir + "', which is not a valid URI: " + e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        method
            + "() takes an absolute path (across hosts one that every host mounts, e.g. NFS) or a"
            + " URI such as hdfs://namenode/flink/checkpoints or s3://bucket/checkpoints; got '"
            + dir
            + "'");
  }

  /** The same URI whether the directory exists yet or not (a Path's URI ends in / if it does). */
  private static String fileUri(Path path) {
    return path.toAbsolutePath().normalize().toUri().toString().replaceAll("(?<!:/)/+$", "");
  }

  private static int checkPort(String method, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(method + "() must be a TCP port in 1..65535, got " + port);
    }
    return port;
  }
}
