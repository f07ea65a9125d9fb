package dev.streamfirst.runners.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.JavaModuleFlags;
import dev.streamfirst.runners.flink.SharedFlinkCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A Flink cluster across "hosts": the JobManager, two TaskManagers and the Kafka broker each in a
 * network namespace of their own with their own address (see {@link NetworkNamespaces}), started as
 * on separate machines with {@code ./streamfirst flink start --host=... --jobManagerOnly} and
 * {@code ./streamfirst flink start-taskmanager --jobManager=... --host=...}, checkpoints in one
 * shared directory (the stand-in for a distributed file system). A streaming rollup at parallelism
 * 2, Kafka to Kafka exactly once, runs one subtask of each step on each TaskManager. Then one
 * TaskManager's host fails: its cable is cut and its process killed. The JobManager notices across
 * the cut link, a replacement TaskManager joins from that host, and the job restores its last
 * checkpoint. Read back with {@code read_committed}, every window's row is there exactly once
 * against the answer computed from the events written.
 *
 * <p>Needs root for the namespaces; elsewhere it is skipped (CI runs as root, so it runs there).
 */
public class FlinkMultiHostIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final Map<String, Integer> HOSTS =
      Map.of("jm", 10, "tm1", 11, "tm2", 12, "kafka", 20);
  private static final int REST_PORT = 8081;
  private static final int RPC_PORT = 6123;
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);

  private static final Path WORK =
      Path.of("target", "multihost-it-" + ProcessHandle.current().pid()).toAbsolutePath();

  /** The directory every host mounts, here one folder of this machine. */
  private static final Path SHARED = WORK.resolve("shared");

  /** Where each launcher command's output goes. */
  private static final Map<Process, Path> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

  private static NetworkNamespaces hosts;
  private static KafkaBroker kafka;

  @BeforeClass
  public static void createHosts() throws IOException {
    // Never skipped: a test that does not run proves nothing. CI runs as root.
    if (!NetworkNamespaces.permitted()) {
      throw new IllegalStateException(
          "FlinkMultiHostIT needs root to create network namespaces (ip netns); it runs as "
              + System.getProperty("user.name")
              + ": run the tests as root (sudo ./streamfirst test)");
    }
    hosts = NetworkNamespaces.create(HOSTS);
  }

  @AfterClass
  public static void removeHosts() throws IOException {
    if (hosts == null) {
      return;
    }
    try {
      for (String host : List.of("tm1", "tm2", "jm")) {
        FlinkSessionCluster.find(home(host)).ifPresent(c -> c.stop(Duration.ofSeconds(10)));
      }
      if (kafka != null) {
        kafka.close();
      }
    } finally {
      hosts.close();
    }
  }

  @Test
  public void rollupAcrossHosts_survivesLosingAHost_everyRowCommittedOnce() throws Exception {
    long begun = System.nanoTime();
    // All hosts start at once, as machines booting would: each takes seconds, and a TaskManager
    // keeps trying to register until the JobManager answers.
    Process jobManager =
        launcher(
            "jm",
            "start",
            "--host=" + hosts.address("jm"),
            "--jobManagerOnly",
            "--port=" + REST_PORT,
            "--rpcPort=" + RPC_PORT);
    Process tm1 = startTaskManager("tm1");
    Process tm2 = startTaskManager("tm2");
    kafka = KafkaBroker.startAt(hosts.address("kafka"), hosts.exec("kafka", List.of()));
    await(jobManager, "jm");
    await(tm1, "tm1");
    await(tm2, "tm2");

    FlinkRest rest = FlinkRest.at(hosts.address("jm") + ":" + REST_PORT);
    List<String> taskManagers = rest.taskManagerIds();
    assertEquals(taskManagers.toString(), 2, taskManagers.size());
    String lostHost = taskManagerOf(taskManagers, "tm1");
    String keptHost = taskManagerOf(taskManagers, "tm2");

    String in = kafka.createTopic("multihost-events", 2);
    String out = kafka.createTopic("multihost-rows", 2);
    String jobId = null;
    try (LiveEvents events = LiveEvents.start(kafka.bootstrapServers(), in, 50, 5)) {
      String name = "multihost-" + System.nanoTime();
      PreparedRun.of(
              ROLLUP,
              FaultJobs.rollupFlags(
                      hosts.address("jm") + ":" + REST_PORT, name, kafka, in, out, WORK)
                  .toArray(new String[0]))
          .run();
      jobId = FaultJobs.awaitJob(rest, name);
      FaultJobs.awaitCheckpointAfter(rest, jobId, Instant.EPOCH);
      assertSpread(rest.subtaskTaskManagers(jobId), Set.of(lostHost, keptHost));

      Thread.sleep(4_000);
      // Host tm1 fails: its cable goes, then its TaskManager dies with it.
      Instant failed = Instant.now();
      hosts.cut("tm1");
      FlinkSessionCluster lost = FlinkSessionCluster.find(home("tm1")).orElseThrow();
      ProcessHandle process = ProcessHandle.of(lost.taskManagerPid()).orElseThrow();
      process.destroyForcibly();
      process.onExit().get(1, TimeUnit.MINUTES);
      // The host comes back while it is still cut off; its new TaskManager can register only once
      // the cable is back, which is after the JobManager has given the old one up.
      Process rejoining = startTaskManager("tm1");
      awaitGone(rest, lostHost);
      Duration noticed = Duration.between(failed, Instant.now());
      hosts.restore("tm1");
      await(rejoining, "tm1");
      Instant recovered = FaultJobs.awaitCheckpointAfter(rest, jobId, failed);
      Optional<Long> restored = rest.latestRestoredCheckpoint(jobId);
      assertTrue("the job restored no checkpoint after losing a host", restored.isPresent());
      String replacement = taskManagerOf(rest.taskManagerIds(), "tm1");
      assertFalse(replacement.equals(lostHost));
      assertSpread(rest.subtaskTaskManagers(jobId), Set.of(replacement, keptHost));

      Thread.sleep(5_000);
      events.stop();
      RollupAnswer answer = RollupAnswer.of(events.sent(), FaultJobs.WINDOW_MS);
      RollupAnswer.Comparison result = answer.compare(FaultJobs.awaitRows(kafka, out, answer));
      System.out.println(
          FaultJobs.tableRow(
              "TaskManager host cut off and killed, replacement joined (3 hosts + Kafka host)",
              1,
              events,
              answer,
              result,
              List.of(Duration.between(failed, recovered))));
      System.out.printf(
          "FlinkMultiHostIT: loss noticed after %.1f s, restored checkpoint %d, took %.1f s%n",
          noticed.toMillis() / 1000.0, restored.get(), (System.nanoTime() - begun) / 1e9);
      assertTrue("too few windows to tell: " + answer.rows(), answer.rows() >= 10);
      assertEquals(String.join("\n", result.problems()), List.of(), result.problems());
      assertTrue(result.exact());
    } finally {
      if (jobId != null) {
        try {
          rest.cancel(jobId);
        } catch (IOException e) {
          // The cluster goes next.
        }
      }
    }
  }

  /** Each step that runs at parallelism 2 has one subtask on each of the two TaskManagers. */
  private static void assertSpread(Map<String, List<String>> placement, Set<String> expected) {
    System.out.println("FlinkMultiHostIT: subtasks per step: " + placement);
    List<String> parallel = new ArrayList<>();
    placement.forEach(
        (step, taskManagers) -> {
          if (taskManagers.size() == 2) {
            parallel.add(step);
            assertEquals(
                "step " + step + " runs on " + taskManagers, expected, new HashSet<>(taskManagers));
          }
        });
    assertFalse("no step runs at parallelism 2: " + placement, parallel.isEmpty());
  }

  /** The one TaskManager the JobManager lists for this host (its id names the host's address). */
  private static String taskManagerOf(List<String> ids, String host) {
    String address = hosts.address(host);
    List<String> ofHost =
        ids.stream().filter(id -> id.contains("-" + address + "-")).collect(Collectors.toList());
    assertEquals("TaskManagers of " + host + " in " + ids, 1, ofHost.size());
    return ofHost.get(0);
  }

  /** Waits until the JobManager has given up on a TaskManager it no longer hears from. */
  private static void awaitGone(FlinkRest rest, String taskManager) throws Exception {
    Instant deadline = Instant.now().plus(FaultJobs.TIMEOUT);
    while (rest.taskManagerIds().contains(taskManager)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the JobManager still lists " + taskManager + " after the cut");
      }
      Thread.sleep(250);
    }
  }

  /**
   * Starts {@code flink start-taskmanager} on a host; it ends once the JobManager accepted the
   * TaskManager. A TaskManager that cannot reach the JobManager tries again every second (Flink
   * backs off to 10 s and more).
   */
  private static Process startTaskManager(String host) throws IOException {
    return launcher(
        host,
        "start-taskmanager",
        "--jobManager=" + hosts.address("jm") + ":" + RPC_PORT,
        "--host=" + hosts.address(host),
        "--slots=1",
        "-Dcluster.registration.error-delay=1000",
        "-Dcluster.registration.max-timeout=2000");
  }

  /**
   * Runs {@code streamfirst flink <args>} on a host as a user there would: the bundled jar's
   * launcher, in the host's namespace, with the host's own project folder (its {@code .flink}) and
   * the shared checkpoint and savepoint directories. Heartbeats every second, so that a lost host
   * is noticed in seconds rather than Flink's 50.
   */
  private static Process launcher(String host, String... args) throws IOException {
    Path root = WORK.resolve("hosts").resolve(host);
    Path lib = root.resolve("runners/flink-cluster/target/lib");
    if (!Files.exists(lib)) {
      // Every host has the same build; here they share this one's libraries.
      Files.createDirectories(lib.getParent());
      Files.createSymbolicLink(lib, FaultJobs.lib().toAbsolutePath());
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JavaModuleFlags.forFlink());
    command.add("-Dstreamfirst.root=" + root);
    command.addAll(List.of("-jar", SharedFlinkCluster.bundledJar(), "flink"));
    command.addAll(List.of(args));
    command.add("--checkpointDir=" + SHARED.resolve("checkpoints"));
    command.add("--savepointDir=" + SHARED.resolve("savepoints"));
    command.add("-Dheartbeat.interval=1000");
    command.add("-Dheartbeat.timeout=10000");
    Path log = WORK.resolve(host + "-" + args[0] + "-" + System.nanoTime() + ".out");
    Process process =
        new ProcessBuilder(hosts.exec(host, command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    OUTPUTS.put(process, log);
    return process;
  }

  private static void await(Process command, String host) throws Exception {
    if (!command.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      command.destroyForcibly();
      throw new AssertionError(
          "flink command on " + host + " did not finish in " + COMMAND_TIMEOUT);
    }
    String output = Files.readString(OUTPUTS.get(command), StandardCharsets.UTF_8);
    System.out.println("FlinkMultiHostIT: on " + host + ":\n" + output);
    assertEquals("flink command on " + host + " failed:\n" + output, 0, command.exitValue());
  }

  private static Path home(String host) {
    return WORK.resolve("hosts").resolve(host).resolve(".flink");
  }
}
