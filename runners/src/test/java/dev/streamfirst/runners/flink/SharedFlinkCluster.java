package dev.streamfirst.runners.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The one real Flink session cluster of a test JVM: started by the first test that asks for it,
 * shared by all later ones, stopped when the JVM exits. It runs under {@code
 * runners/target/flink-it/}, on free loopback ports, so it never meets a cluster a developer
 * started with {@code ./streamfirst flink start}, nor one of a parallel build.
 *
 * <pre>{@code
 * FlinkSessionCluster cluster = SharedFlinkCluster.get();
 * String[] flags = {"--runner=FlinkRunner", "--flinkMaster=" + cluster.master(),
 *     "--filesToStage=" + SharedFlinkCluster.bundledJar()};
 * }</pre>
 */
public final class SharedFlinkCluster {
  /** Set by the build: where the cluster's libraries were copied. */
  public static final String LIB_PROPERTY = "streamfirst.flink.lib";

  /** Set by the build: the bundled jar that jobs are submitted with. */
  public static final String JAR_PROPERTY = "streamfirst.bundledJar";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static FlinkSessionCluster cluster;
  private static FlinkClusterSettings settings;
  private static Duration startedIn;

  private SharedFlinkCluster() {}

  /** The cluster, started on first use. */
  public static synchronized FlinkSessionCluster get() {
    if (cluster == null) {
      try {
        Path root = Path.of(required(LIB_PROPERTY)).getParent().getParent().getParent();
        Path homes = root.resolve("target/flink-it");
        stopLeftovers(homes);
        settings =
            FlinkClusterSettings.forTests(
                homes.resolve("cluster-" + ProcessHandle.current().pid()),
                Path.of(required(LIB_PROPERTY)));
        long begun = System.nanoTime();
        FlinkSessionCluster started = FlinkSessionCluster.start(settings, START_TIMEOUT);
        startedIn = Duration.ofNanos(System.nanoTime() - begun);
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> started.stop(Duration.ofSeconds(20))));
        cluster = started;
        System.out.println(
            "Shared Flink cluster up in "
                + startedIn.toMillis()
                + " ms at "
                + started.rest().uri()
                + " (logs: "
                + started.logDir()
                + ")");
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the shared Flink cluster", e);
      }
    }
    return cluster;
  }

  /** How long starting the cluster took (zero before it was started). */
  public static synchronized Duration startedIn() {
    return startedIn == null ? Duration.ZERO : startedIn;
  }

  /** The bundled jar to stage with every job, as {@code --filesToStage} takes it. */
  public static String bundledJar() {
    String jar = required(JAR_PROPERTY);
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "the bundled jar " + jar + " is missing; tests on the cluster run after 'package'");
    }
    return jar;
  }

  /** Clusters of earlier test JVMs that were killed before their shutdown hook ran. */
  private static void stopLeftovers(Path homes) throws IOException {
    if (!Files.isDirectory(homes)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(homes)) {
      dirs.forEach(
          home -> FlinkSessionCluster.find(home).ifPresent(c -> c.stop(Duration.ofSeconds(10))));
    }
  }

  /** The first of the cluster's two Prometheus ports (JobManager and TaskManager). */
  public static synchronized int metricsPort() {
    get();
    return settings.metricsPort();
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + property
              + " is not set; run the cluster tests through Maven (mvn verify), which sets it");
    }
    return value;
  }
}
