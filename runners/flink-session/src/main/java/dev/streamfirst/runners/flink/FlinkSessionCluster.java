package dev.streamfirst.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Flink 1.19 session cluster on this machine: a JobManager and a TaskManager, each its own
 * JVM, started from the libraries the build copied to {@code runners/flink-cluster/target/lib} (no
 * Flink distribution needed). Everything it writes (configuration, logs, pids, checkpoints,
 * savepoints) stays under {@link FlinkClusterSettings#home()}; it outlives the JVM that started it
 * until {@link #stop} is called, from this JVM or a later one via {@link #find}.
 *
 * <p>Across hosts, each host's folder holds what that host runs: the JobManager (with or without a
 * TaskManager, {@link FlinkClusterSettings#withoutTaskManager}), or a TaskManager that joined the
 * JobManager of another host ({@link #joinTaskManager}).
 *
 * <pre>{@code
 * FlinkSessionCluster cluster = FlinkSessionCluster.start(settings, Duration.ofMinutes(2));
 * // submit with --runner=FlinkRunner --flinkMaster=cluster.master()
 * FlinkSessionCluster.find(settings.home()).ifPresent(c -> c.stop(Duration.ofSeconds(30)));
 * }</pre>
 */
public final class FlinkSessionCluster {
  static final String JOB_MANAGER_CLASS =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_CLASS =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String RESOURCE_TOOL = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String RESOURCE_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final String STATE_FILE = "cluster.properties";
  private static final Duration POLL_EVERY = Duration.ofMillis(250);

  /** What a TaskManager logs once the JobManager's resource manager has accepted it. */
  static final String REGISTERED = "Successful registration at resource manager";

  private final Path home;
  private final String restHost;
  private final int restPort;
  private final long jobManagerPid;
  private final long taskManagerPid;
  private final Instant started;

  /**
   * @param jobManagerPid 0 on a host that only runs a TaskManager
   * @param taskManagerPid 0 on a JobManager host without a TaskManager
   */
  private FlinkSessionCluster(
      Path home,
      String restHost,
      int restPort,
      long jobManagerPid,
      long taskManagerPid,
      Instant started) {
    this.home = home;
    this.restHost = restHost;
    this.restPort = restPort;
    this.jobManagerPid = jobManagerPid;
    this.taskManagerPid = taskManagerPid;
    this.started = started;
  }

  /**
   * Starts the cluster and returns once its TaskManager has registered all of its slots.
   *
   * @throws IllegalStateException if a cluster from the same folder still runs, a port is taken or
   *     the libraries are missing; each message says what to do
   * @throws IOException if a process fails to come up (with the end of its log)
   */
  public static FlinkSessionCluster start(FlinkClusterSettings settings, Duration timeout)
      throws IOException {
    if (settings.jobManagerAddress().isPresent()) {
      throw new IllegalArgumentException(
          "these settings join the JobManager at "
              + settings.jobManagerAddress().get()
              + "; start their TaskManager with joinTaskManager()");
    }
    Path home = settings.home();
    Optional<FlinkSessionCluster> existing = find(home);
    if (existing.isPresent()) {
      if (existing.get().isAlive()) {
        throw new IllegalStateException(
            "a Flink cluster from "
                + home
                + " already runs at "
                + existing.get().rest().uri()
                + " (pids "
                + existing.get().jobManagerPid
                + ", "
                + existing.get().taskManagerPid
                + "); stop it first");
      }
      existing.get().stop(Duration.ofSeconds(10));
    }
    requireLibraries(settings.lib());
    String bind = settings.bindHost();
    requireLocalAddress(bind, settings.bindHostOverride().isPresent() ? "--bindHost" : "--host");
    requireFreePort(bind, settings.restPort(), "REST/web UI", "--port");
    requireFreePort(
        jobManagerBindHost(settings), settings.rpcPort(), "JobManager RPC", "--rpcPort");
    requireFreePort(bind, settings.metricsPort(), "Prometheus metrics", "--metricsPort");
    requireFreePort(bind, settings.metricsPort() + 1, "Prometheus metrics", "--metricsPort");

    Path logs = home.resolve("log");
    writeConfiguration(settings);

    Instant begun = Instant.now();
    if (!settings.localTaskManager()) {
      List<List<String>> jm;
      try {
        jm = resourceParams(settings, "GET_JM_RESOURCE_PARAMS");
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      Process jobManager = launch(settings, "jobmanager", JOB_MANAGER_CLASS, jm);
      FlinkSessionCluster cluster =
          new FlinkSessionCluster(
              home, settings.host(), settings.restPort(), jobManager.pid(), 0, begun);
      cluster.save();
      try {
        cluster.awaitSlots(0, begun.plus(timeout), logs);
      } catch (IOException | RuntimeException e) {
        cluster.stop(Duration.ofSeconds(10));
        throw e;
      }
      return cluster;
    }
    // Each answer takes a JVM start; ask for both at once.
    CompletableFuture<List<List<String>>> tmParams =
        CompletableFuture.supplyAsync(() -> resourceParams(settings, "GET_TM_RESOURCE_PARAMS"));
    List<List<String>> jm;
    try {
      jm = resourceParams(settings, "GET_JM_RESOURCE_PARAMS");
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<List<String>> tm;
    try {
      tm = tmParams.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof UncheckedIOException
          ? ((UncheckedIOException) e.getCause()).getCause()
          : new IOException("computing the TaskManager's memory settings failed", e.getCause());
    }
    Process jobManager = launch(settings, "jobmanager", JOB_MANAGER_CLASS, jm);
    Process taskManager = launch(settings, "taskmanager", TASK_MANAGER_CLASS, tm);
    FlinkSessionCluster cluster =
        new FlinkSessionCluster(
            home, settings.host(), settings.restPort(), jobManager.pid(), taskManager.pid(), begun);
    cluster.save();
    try {
      cluster.awaitSlots(settings.slots(), begun.plus(timeout), logs);
    } catch (IOException | RuntimeException e) {
      cluster.stop(Duration.ofSeconds(10));
      throw e;
    }
    return cluster;
  }

  /**
   * Starts a TaskManager on this host that joins the JobManager at {@link
   * FlinkClusterSettings#jobManagerAddress()} (another host), and returns once the JobManager has
   * accepted it. Its folder holds only the TaskManager; {@link #stop} stops it.
   *
   * <pre>{@code
   * FlinkSessionCluster.joinTaskManager(
   *     FlinkClusterSettings.in(home, lib).joining("10.0.0.1:6123").withHost("10.0.0.2")
   *         .withCheckpointDir("/mnt/flink/checkpoints"), Duration.ofMinutes(2));
   * }</pre>
   *
   * @throws IllegalStateException if a TaskManager from the same folder still runs, or the host's
   *     address is not one of this machine's
   * @throws IOException if it exits or is not accepted in time (with the end of its log)
   */
  public static FlinkSessionCluster joinTaskManager(FlinkClusterSettings settings, Duration timeout)
      throws IOException {
    String jobManager =
        settings
            .jobManagerAddress()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "joinTaskManager() needs the JobManager's address: settings.joining("
                            + "\"host:port\")"));
    Path home = settings.home();
    Optional<FlinkSessionCluster> existing = find(home);
    if (existing.isPresent()) {
      if (existing.get().isAlive()) {
        throw new IllegalStateException(
            "a Flink "
                + (existing.get().jobManagerPid > 0 ? "cluster" : "TaskManager")
                + " from "
                + home
                + " still runs (pid "
                + (existing.get().jobManagerPid > 0
                    ? existing.get().jobManagerPid
                    : existing.get().taskManagerPid)
                + "); stop it first: ./streamfirst flink stop");
      }
      existing.get().stop(Duration.ofSeconds(10));
    }
    requireLibraries(settings.lib());
    String bind = settings.bindHost();
    requireLocalAddress(bind, settings.bindHostOverride().isPresent() ? "--bindHost" : "--host");
    writeConfiguration(settings);
    Instant begun = Instant.now();
    List<List<String>> resources;
    try {
      resources = resourceParams(settings, "GET_TM_RESOURCE_PARAMS");
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    // The host in the id tells in the JobManager's lists which host a TaskManager runs on.
    String id = "taskmanager-" + settings.host() + "-" + begun.toEpochMilli();
    List<String> dynamic = new ArrayList<>(resources.get(1));
    dynamic.addAll(List.of("-D", "taskmanager.resource-id=" + id));
    Process taskManager =
        launch(settings, id, TASK_MANAGER_CLASS, List.of(resources.get(0), dynamic));
    String jobManagerHost = jobManager.substring(0, jobManager.lastIndexOf(':'));
    FlinkSessionCluster joined =
        new FlinkSessionCluster(
            home, jobManagerHost, settings.restPort(), 0, taskManager.pid(), begun);
    joined.save();
    Path log = joined.logDir().resolve(id + ".log");
    Instant deadline = begun.plus(timeout);
    while (!logged(log, REGISTERED)) {
      if (!taskManager.isAlive()) {
        joined.stop(Duration.ofSeconds(1));
        throw new IOException(
            "the Flink TaskManager exited while joining the JobManager at "
                + jobManager
                + "; the end of its log:\n"
                + tail(log, joined.logDir().resolve(id + ".out")));
      }
      if (Instant.now().isAfter(deadline)) {
        joined.stop(Duration.ofSeconds(10));
        throw new IOException(
            "the Flink TaskManager was not accepted by the JobManager at "
                + jobManager
                + " within "
                + timeout
                + " (is that address reachable from here, and does the JobManager reach this host"
                + " at "
                + settings.host()
                + "?); its log is "
                + log
                + ":\n"
                + tail(log));
      }
      try {
        Thread.sleep(POLL_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the TaskManager to join", e);
      }
    }
    return joined;
  }

  /** The cluster last started from {@code home}, if its state file is there (alive or not). */
  public static Optional<FlinkSessionCluster> find(Path home) {
    Path state = home.toAbsolutePath().normalize().resolve(STATE_FILE);
    if (!Files.isRegularFile(state)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(state)) {
      p.load(in);
      return Optional.of(
          new FlinkSessionCluster(
              home.toAbsolutePath().normalize(),
              p.getProperty("rest.host", "localhost"),
              Integer.parseInt(p.getProperty("rest.port")),
              Long.parseLong(p.getProperty("jobmanager.pid")),
              Long.parseLong(p.getProperty("taskmanager.pid")),
              Instant.parse(p.getProperty("started"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code <host>:<port>} of the JobManager's REST API ({@code localhost:8081} on one machine):
   * what {@code --flinkMaster} takes.
   */
  public String master() {
    return restHost + ":" + restPort;
  }

  public int restPort() {
    return restPort;
  }

  public FlinkRest rest() {
    return FlinkRest.at(master());
  }

  public Path home() {
    return home;
  }

  public Path logDir() {
    return home.resolve("log");
  }

  /**
   * Where savepoints go unless a job asks otherwise ({@code state.savepoints.dir}), when the
   * cluster was started without {@code --savepointDir}.
   */
  public Path savepointDir() {
    return home.resolve("savepoints");
  }

  public long jobManagerPid() {
    return jobManagerPid;
  }

  public long taskManagerPid() {
    return taskManagerPid;
  }

  public Instant started() {
    return started;
  }

  /** Whether this host runs a JobManager (not only a TaskManager that joined another host's). */
  public boolean hasJobManager() {
    return jobManagerPid > 0;
  }

  /** Whether this host runs a TaskManager (a JobManager's host may run none). */
  public boolean hasTaskManager() {
    return taskManagerPid > 0;
  }

  /** Whether the processes this folder started all still run. */
  public boolean isAlive() {
    return (!hasJobManager() || ours(jobManagerPid).isPresent())
        && (!hasTaskManager() || ours(taskManagerPid).isPresent());
  }

  /** The cluster overview from its REST API, or empty when it does not answer. */
  public Optional<JsonNode> overview() {
    return rest().overview();
  }

  /**
   * Stops both processes (TaskManager first), waiting up to {@code timeout} for each to exit before
   * killing it, and forgets the cluster.
   *
   * @return whether any process was still running
   */
  public boolean stop(Duration timeout) {
    boolean stoppedAny = false;
    for (long pid : List.of(taskManagerPid, jobManagerPid)) {
      Optional<ProcessHandle> process = ours(pid);
      if (process.isPresent()) {
        stoppedAny = true;
        ProcessHandle handle = process.get();
        handle.destroy();
        try {
          handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          handle.destroyForcibly();
        }
      }
    }
    try {
      Files.deleteIfExists(home.resolve(STATE_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + home.resolve(STATE_FILE), e);
    }
    return stoppedAny;
  }

  /**
   * Starts a TaskManager in place of one that died (killed, crashed, out of memory) and returns the
   * cluster with it, once the JobManager lists it. A streaming job that lost its TaskManager then
   * gets its slots back and restarts from its last completed checkpoint, if its restart strategy
   * allows (Flink's default with checkpointing does; {@code --numberOfExecutionRetries} sets one
   * per job).
   *
   * <pre>{@code
   * cluster = FlinkSessionCluster.find(home).orElseThrow().startTaskManager(lib, timeout);
   * }</pre>
   *
   * @param lib the cluster's libraries, as it was started with
   * @throws IllegalStateException if the JobManager is not running (start the cluster again) or the
   *     TaskManager still runs
   * @throws IOException if the new TaskManager fails to come up (with the end of its log)
   */
  public FlinkSessionCluster startTaskManager(Path lib, Duration timeout) throws IOException {
    if (!hasJobManager()) {
      throw new IllegalStateException(
          "the Flink TaskManager from "
              + home
              + " joined the JobManager on another host; start it again as it was started:"
              + " ./streamfirst flink start-taskmanager --jobManager=<host:port> --host=<address>"
              + " ...");
    }
    if (ours(jobManagerPid).isEmpty()) {
      throw new IllegalStateException(
          "the JobManager (pid "
              + jobManagerPid
              + ") of the Flink cluster in "
              + home
              + " is not running, so a TaskManager has nothing to join; start the whole cluster"
              + " again: ./streamfirst flink stop && ./streamfirst flink start");
    }
    if (ours(taskManagerPid).isPresent()) {
      throw new IllegalStateException(
          "the TaskManager (pid "
              + taskManagerPid
              + ") of the Flink cluster in "
              + home
              + " still runs; a cluster here has one TaskManager");
    }
    requireLibraries(lib);
    FlinkClusterSettings settings = FlinkClusterSettings.in(home, lib);
    Instant begun = Instant.now();
    // A resource id of our own, to tell the new TaskManager from the dead one, which the
    // JobManager lists until its heartbeat times out.
    String id = "taskmanager-" + begun.toEpochMilli();
    List<List<String>> resources;
    try {
      resources = resourceParams(settings, "GET_TM_RESOURCE_PARAMS");
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<String> dynamic = new ArrayList<>(resources.get(1));
    dynamic.addAll(List.of("-D", "taskmanager.resource-id=" + id));
    Process taskManager =
        launch(settings, id, TASK_MANAGER_CLASS, List.of(resources.get(0), dynamic));
    FlinkSessionCluster cluster =
        new FlinkSessionCluster(
            home, restHost, restPort, jobManagerPid, taskManager.pid(), started);
    cluster.save();
    Instant deadline = begun.plus(timeout);
    FlinkRest rest = rest();
    while (!rest.taskManagerIds().contains(id)) {
      if (!taskManager.isAlive()) {
        throw new IOException(
            "the new Flink TaskManager exited while starting; the end of its log:\n"
                + tail(logDir().resolve(id + ".log"), logDir().resolve(id + ".out")));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "the new Flink TaskManager (pid "
                + taskManager.pid()
                + ") did not register with the JobManager within "
                + timeout
                + "; its log is "
                + logDir().resolve(id + ".log"));
      }
      try {
        Thread.sleep(POLL_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the new TaskManager", e);
      }
    }
    return cluster;
  }

  /** Whether the JobManager runs (the TaskManager may have died). */
  public boolean isJobManagerAlive() {
    return hasJobManager() && ours(jobManagerPid).isPresent();
  }

  /** Whether the TaskManager runs. */
  public boolean isTaskManagerAlive() {
    return hasTaskManager() && ours(taskManagerPid).isPresent();
  }

  /** The process with this pid, if it is one of this cluster's (its command names our folder). */
  private Optional<ProcessHandle> ours(long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false));
  }

  private void save() throws IOException {
    Properties p = new Properties();
    p.setProperty("rest.host", restHost);
    p.setProperty("rest.port", Integer.toString(restPort));
    p.setProperty("jobmanager.pid", Long.toString(jobManagerPid));
    p.setProperty("taskmanager.pid", Long.toString(taskManagerPid));
    p.setProperty("started", started.toString());
    try (var out = Files.newOutputStream(home.resolve(STATE_FILE))) {
      p.store(out, "The Flink session cluster started from this folder");
    }
  }

  /** Waits until the REST API answers and, if {@code slots > 0}, lists that many slots. */
  private void awaitSlots(int slots, Instant deadline, Path logs) throws IOException {
    FlinkRest rest = rest();
    while (true) {
      for (String role : slots > 0 ? List.of("jobmanager", "taskmanager") : List.of("jobmanager")) {
        long pid = role.equals("jobmanager") ? jobManagerPid : taskManagerPid;
        // Alive, not ours(): a process just launched may not have exec'd java yet, and until it
        // has, its command line is the spawn helper's, which does not name our folder.
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          throw new IOException(
              "the Flink "
                  + role
                  + " exited while starting; the end of "
                  + logs.resolve(role + ".log")
                  + ":\n"
                  + tail(logs.resolve(role + ".log"), logs.resolve(role + ".out")));
        }
      }
      Optional<JsonNode> overview = rest.overview();
      if (overview.isPresent()
          && (slots == 0
              || overview.get().path("taskmanagers").asInt() >= 1
                  && overview.get().path("slots-total").asInt() >= slots)) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "the Flink cluster did not come up in time ("
                + (slots == 0
                    ? "its REST API does not answer at " + rest.uri()
                    : "no TaskManager with " + slots + " slots registered at " + rest.uri())
                + "); logs are in "
                + logs);
      }
      try {
        Thread.sleep(POLL_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the Flink cluster", e);
      }
    }
  }

  private static void writeConfiguration(FlinkClusterSettings settings) throws IOException {
    Path home = settings.home();
    Path conf = home.resolve("conf");
    for (String dir : List.of("conf", "log", "tmp", "blob", "web", "plugins")) {
      Files.createDirectories(home.resolve(dir));
    }
    for (String dir : List.of(settings.checkpointDir(), settings.savepointDir())) {
      if (dir.startsWith("file:")) {
        Files.createDirectories(Path.of(java.net.URI.create(dir)));
      }
    }
    Files.writeString(
        conf.resolve("config.yaml"), configYaml(configuration(settings)), StandardCharsets.UTF_8);
    try (InputStream log4j =
        FlinkSessionCluster.class.getResourceAsStream("log4j-cluster.properties")) {
      Files.copy(log4j, conf.resolve("log4j.properties"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * The Flink configuration this host's processes get. Addresses: the JobManager's RPC and REST
   * address is where others reach it ({@link FlinkClusterSettings#host()} on its own host, the
   * address joined on another), the TaskManager advertises {@code host} for RPC and data exchange,
   * and every process listens on {@link FlinkClusterSettings#bindHost()}.
   */
  static Map<String, String> configuration(FlinkClusterSettings s) {
    Path home = s.home();
    Map<String, String> config = new TreeMap<>();
    String jobManagerHost =
        s.jobManagerAddress().map(a -> a.substring(0, a.lastIndexOf(':'))).orElse(s.host());
    config.put("jobmanager.rpc.address", jobManagerHost);
    config.put("jobmanager.rpc.port", Integer.toString(s.rpcPort()));
    config.put("jobmanager.bind-host", jobManagerBindHost(s));
    config.put("taskmanager.bind-host", s.bindHost());
    config.put("taskmanager.host", s.host());
    config.put("rest.address", jobManagerHost);
    config.put("rest.bind-address", s.bindHost());
    config.put("rest.port", Integer.toString(s.restPort()));
    config.put("jobmanager.memory.process.size", "1024m");
    config.put("taskmanager.memory.process.size", "2048m");
    // Beam's batch translation exchanges data through blocking partitions, each of which wants
    // its own set of network buffers; Flink's default share (10% of the TaskManager) is too small
    // for a rollup at parallelism 2.
    config.put("taskmanager.memory.network.min", "256m");
    config.put("taskmanager.memory.network.max", "256m");
    config.put("taskmanager.network.sort-shuffle.min-buffers", "128");
    config.put("taskmanager.numberOfTaskSlots", Integer.toString(s.slots()));
    config.put("parallelism.default", Integer.toString(s.slots()));
    config.put("state.backend.type", "hashmap");
    // A TaskManager writes its part of each checkpoint to the directory of its own configuration,
    // the JobManager the metadata to its own: across hosts they must name the same storage.
    config.put("state.checkpoints.dir", s.checkpointDir());
    config.put("state.savepoints.dir", s.savepointDir());
    config.put("io.tmp.dirs", home.resolve("tmp").toString());
    config.put("blob.storage.directory", home.resolve("blob").toString());
    config.put("web.tmp.dir", home.resolve("web").toString());
    config.put("web.upload.dir", home.resolve("web").toString());
    // Each Beam job brings its own classes in the bundled jar; Flink's leak check would report
    // their classloader when a job's threads wind down after it finished.
    config.put("classloader.check-leaked-classloader", "false");
    // Every metric of the cluster and its jobs (Beam's among them, as operator metrics named
    // <namespace>_<name>) at http://localhost:<port>/metrics, for Prometheus to scrape; the
    // JobManager and the TaskManager each take one port of the range.
    config.put(
        "metrics.reporter.prom.factory.class",
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    config.put("metrics.reporter.prom.port", s.metricsPort() + "-" + (s.metricsPort() + 1));
    config.putAll(s.config());
    return config;
  }

  /**
   * Where the JobManager's RPC and blob server listen. Flink's REST handler uploads a submitted
   * job's files to the blob server at {@code localhost}, so a JobManager that other hosts reach
   * listens on every address (its REST API still only on {@link FlinkClusterSettings#bindHost()}).
   */
  static String jobManagerBindHost(FlinkClusterSettings s) {
    String bind = s.bindHost();
    boolean loopback = bind.equals("localhost") || bind.startsWith("127.");
    return loopback ? bind : "0.0.0.0";
  }

  private static String configYaml(Map<String, String> config) {
    StringBuilder yaml =
        new StringBuilder("# Generated by ./streamfirst flink start; edits are overwritten.\n");
    config.forEach(
        (key, value) ->
            yaml.append(key).append(": '").append(value.replace("'", "''")).append("'\n"));
    return yaml.toString();
  }

  /** What Flink's own scripts would pass: JVM memory flags, then {@code -D key=value} settings. */
  private static List<List<String>> resourceParams(FlinkClusterSettings s, String which) {
    try {
      return askResourceParams(s, which);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<List<String>> askResourceParams(FlinkClusterSettings s, String which)
      throws IOException {
    List<String> command =
        new ArrayList<>(List.of(javaBinary(), "-cp", s.lib().resolve("*").toString()));
    command.addAll(
        List.of(RESOURCE_TOOL, which, "--configDir", s.home().resolve("conf").toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("Flink's " + which + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while computing Flink's memory settings", e);
    }
    List<List<String>> results =
        output
            .lines()
            .filter(l -> l.startsWith(RESOURCE_RESULT))
            .map(l -> l.substring(RESOURCE_RESULT.length()).trim())
            .map(l -> Arrays.stream(l.split("\\s+")).filter(t -> !t.isEmpty()).toList())
            .collect(Collectors.toList());
    if (results.size() < 2) {
      throw new IOException("Flink's " + which + " printed no settings:\n" + output);
    }
    // The last two results are the JVM flags and the dynamic configuration.
    return results.subList(results.size() - 2, results.size());
  }

  private static Process launch(
      FlinkClusterSettings s, String role, String mainClass, List<List<String>> resources)
      throws IOException {
    Path home = s.home();
    Path conf = home.resolve("conf");
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      // Its own session: the cluster outlives the terminal and the JVM that started it.
      command.add("/usr/bin/setsid");
    }
    command.add(javaBinary());
    command.addAll(resources.get(0));
    command.addAll(JavaModuleFlags.forFlink());
    command.add("-Dlog.file=" + home.resolve("log").resolve(role + ".log"));
    command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    command.addAll(List.of("-cp", s.lib().resolve("*").toString(), mainClass));
    command.addAll(List.of("--configDir", conf.toString()));
    command.addAll(resources.get(1));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("log").resolve(role + ".out").toFile());
    builder.environment().put("FLINK_CONF_DIR", conf.toString());
    builder.environment().put("FLINK_LIB_DIR", s.lib().toString());
    builder.environment().put("FLINK_PLUGINS_DIR", home.resolve("plugins").toString());
    return builder.start();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void requireLibraries(Path lib) {
    boolean present;
    try (Stream<Path> jars = Files.list(lib)) {
      present = jars.anyMatch(p -> p.getFileName().toString().startsWith("flink-runtime-"));
    } catch (IOException e) {
      present = false;
    }
    if (!present) {
      throw new IllegalStateException(
          "the Flink cluster's libraries are missing in "
              + lib
              + "; build them with: mvn -B package -pl runners -am -DskipTests");
    }
  }

  /** Refuses an address that no interface of this machine has: nothing could listen on it. */
  private static void requireLocalAddress(String address, String flag) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          flag
              + "="
              + address
              + " is not an address of this machine ("
              + e.getMessage()
              + "); give one of its own addresses (see 'ip addr'), or --bindHost=0.0.0.0 to listen"
              + " on all of them");
    }
  }

  private static void requireFreePort(String address, int port, String what, String flag) {
    InetAddress bind;
    try {
      bind = InetAddress.getByName(address);
    } catch (IOException e) {
      throw new IllegalStateException("cannot resolve " + address + ": " + e.getMessage());
    }
    try (ServerSocket socket = new ServerSocket(port, 1, bind)) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " ("
              + what
              + ") is taken, maybe by another Flink cluster; choose another with "
              + flag
              + "=<port>");
    }
  }

  private static boolean logged(Path log, String line) {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.anyMatch(l -> l.contains(line));
    } catch (IOException | UncheckedIOException e) {
      // Not written yet.
      return false;
    }
  }

  private static String tail(Path... files) {
    StringBuilder out = new StringBuilder();
    for (Path file : files) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        lines
            .subList(Math.max(0, lines.size() - 30), lines.size())
            .forEach(l -> out.append("  ").append(l).append('\n'));
      } catch (IOException e) {
        // A process that died before logging leaves only its .out file.
      }
    }
    return out.toString();
  }
}
