package dev.streamfirst.testing.flink;

import dev.streamfirst.runners.flink.FlinkClusterSettings;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Flink 1.19 session cluster for tests: a JobManager and a TaskManager with two slots, each
 * its own JVM, on free loopback ports. {@link #shared()} starts it on first use (10 to 20 s), every
 * later test class of the JVM gets the same one, and a shutdown hook stops it when the JVM exits.
 * It is the cluster of {@code ./streamfirst flink start}, started with {@link
 * FlinkClusterSettings#forTests}; jobs go to it as to any Flink cluster:
 *
 * <pre>{@code
 * FlinkTestCluster flink = FlinkTestCluster.shared();
 * String[] args = {"--runner=FlinkRunner", "--flinkMaster=" + flink.master(),
 *     "--parallelism=" + flink.slots(), "--filesToStage=target/my-pipeline-bundled.jar", ...};
 * }</pre>
 *
 * <p>A job runs in the TaskManager, not in the test's JVM, so it needs its classes staged (a
 * bundled jar of the project, {@code --filesToStage}) and its files where the TaskManager reaches
 * them (on this machine, any absolute path). JUnit: {@code SharedServer.of(FlinkTestCluster.class)}
 * (JUnit 4) or a parameter of this type under {@code SharedServersExtension} (JUnit 5), both of
 * {@code streamfirst-test-kit}.
 *
 * <p>Its folder (configuration, logs, checkpoints) is {@code
 * target/streamfirst-flink/cluster-<pid>} when the test runs in a Maven module, else under the
 * temporary directory; {@value #HOME_PROPERTY} chooses another parent. A cluster left behind by a
 * test JVM that was killed before its hook ran is stopped by the next one started from the same
 * parent folder.
 */
public final class FlinkTestCluster {
  /** The folder under which each test JVM's cluster gets its own. */
  public static final String HOME_PROPERTY = "streamfirst.flink.home";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final String PREFIX = "cluster-";

  private static FlinkTestCluster shared;

  private final FlinkSessionCluster cluster;
  private final int slots;

  private FlinkTestCluster(FlinkSessionCluster cluster, int slots) {
    this.cluster = cluster;
    this.slots = slots;
  }

  /**
   * The cluster of this JVM, started on first call and stopped when the JVM exits.
   *
   * @throws IllegalStateException if it cannot start: its libraries are missing (the message says
   *     how to get them), or a process failed (with the end of its log)
   */
  public static synchronized FlinkTestCluster shared() {
    if (shared == null || !shared.cluster.isAlive()) {
      Path parent = parentFolder();
      stopLeftovers(parent);
      Path home = parent.resolve(PREFIX + ProcessHandle.current().pid());
      FlinkSessionCluster started;
      FlinkClusterSettings settings;
      try {
        settings = FlinkClusterSettings.forTests(home, ClusterLibraries.linkedInto(home));
        long begun = System.nanoTime();
        started = FlinkSessionCluster.start(settings, START_TIMEOUT);
        System.out.println(
            "Flink test cluster up in "
                + Duration.ofNanos(System.nanoTime() - begun).toMillis()
                + " ms at "
                + started.rest().uri()
                + " (logs: "
                + started.logDir()
                + ")");
      } catch (IOException e) {
        throw new IllegalStateException(
            "the Flink test cluster in " + home + " did not start: " + e.getMessage(), e);
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> started.stop(STOP_TIMEOUT), "stop-flink-cluster"));
      shared = new FlinkTestCluster(started, settings.slots());
    }
    return shared;
  }

  /** {@code localhost:<port>}: what {@code --flinkMaster} takes. */
  public String master() {
    return cluster.master();
  }

  /** The REST API and web UI, e.g. {@code http://localhost:40123}. */
  public URI restUri() {
    return cluster.rest().uri();
  }

  /** Task slots: the most parallelism a job gets ({@code --parallelism}). */
  public int slots() {
    return slots;
  }

  /** The JobManager's and the TaskManager's logs: where a failed job's cause is. */
  public Path logDir() {
    return cluster.logDir();
  }

  /** The process ids of the JobManager and the TaskManager. */
  public List<Long> pids() {
    return List.of(cluster.jobManagerPid(), cluster.taskManagerPid());
  }

  /** The cluster itself, for its REST client ({@code session().rest()}) and state. */
  public FlinkSessionCluster session() {
    return cluster;
  }

  private static Path parentFolder() {
    String explicit = System.getProperty(HOME_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath().normalize();
    }
    // Maven runs tests in the module's folder; its target/ is cleaned with the build.
    Path target = Path.of("target");
    Path parent =
        Files.isDirectory(target)
            ? target.resolve("streamfirst-flink")
            : Path.of(System.getProperty("java.io.tmpdir"), "streamfirst-flink");
    return parent.toAbsolutePath().normalize();
  }

  /**
   * Clusters of test JVMs that no longer run (killed before their shutdown hook): a cluster runs in
   * its own session, so it outlives them. A live JVM's cluster (a parallel fork) is left alone.
   */
  private static void stopLeftovers(Path parent) {
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (Stream<Path> homes = Files.list(parent)) {
      homes
          .filter(home -> home.getFileName().toString().startsWith(PREFIX))
          .filter(home -> !ownerAlive(home))
          .forEach(home -> FlinkSessionCluster.find(home).ifPresent(c -> c.stop(STOP_TIMEOUT)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent, e);
    }
  }

  private static boolean ownerAlive(Path home) {
    String pid = home.getFileName().toString().substring(PREFIX.length());
    try {
      Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(pid));
      return owner.map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
