package dev.streamfirst.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./streamfirst flink start | stop | status | stop-job <id> | start-taskmanager}: the local
 * session cluster from the command line ({@code flink resume}, which runs a pipeline, is the
 * launcher's). Its state lives in {@code .flink/} of the project, its libraries in {@code
 * runners/flink-cluster/target/lib}.
 */
public final class FlinkCommand {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** What {@code status} returns when no cluster runs, as init scripts do. */
  public static final int NOT_RUNNING = 3;

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(5);
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
          .withZone(ZoneId.systemDefault());

  private final PrintStream out;
  private final PrintStream err;
  private final Path home;
  private final Path lib;

  /**
   * @param home the cluster's folder
   * @param lib the cluster's libraries
   */
  public FlinkCommand(PrintStream out, PrintStream err, Path home, Path lib) {
    this.out = out;
    this.err = err;
    this.home = home.toAbsolutePath().normalize();
    this.lib = lib.toAbsolutePath().normalize();
  }

  /** The project's cluster: state in {@code root/.flink}, libraries as the build copies them. */
  public static FlinkCommand forProject(PrintStream out, PrintStream err, Path root) {
    return new FlinkCommand(
        out, err, root.resolve(".flink"), root.resolve("runners/flink-cluster/target/lib"));
  }

  public int run(List<String> args) {
    if (args.isEmpty()) {
      usage(err);
      return USAGE;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (args.get(0)) {
        case "start" -> start(rest);
        case "stop" -> stop();
        case "status" -> status();
        case "stop-job" -> stopJob(rest);
        case "start-taskmanager" -> startTaskManager(rest);
        case "help", "--help", "-h" -> {
          usage(out);
          yield OK;
        }
        default -> {
          err.println("error: unknown flink command '" + args.get(0) + "'");
          usage(err);
          yield USAGE;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      usage(err);
      return USAGE;
    } catch (IllegalStateException | IOException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    }
  }

  private int start(List<String> flags) throws IOException {
    FlinkClusterSettings settings = FlinkClusterSettings.in(home, lib);
    for (String flag : flags) {
      if (flag.startsWith("--port=")) {
        settings = settings.withRestPort(parseInt(flag));
      } else if (flag.startsWith("--rpcPort=")) {
        settings = settings.withRpcPort(parseInt(flag));
      } else if (flag.equals("--jobManagerOnly")) {
        settings = settings.withoutTaskManager();
      } else {
        settings = hostFlag(settings, flag, "start");
      }
    }
    out.println(
        "Starting a Flink session cluster ("
            + (settings.localTaskManager() ? "JobManager and TaskManager" : "JobManager only")
            + ") in "
            + home
            + " ...");
    long begun = System.nanoTime();
    FlinkSessionCluster cluster = FlinkSessionCluster.start(settings, START_TIMEOUT);
    out.printf(
        Locale.ROOT,
        "Flink session cluster up in %.1f s: web UI and REST at %s%n",
        (System.nanoTime() - begun) / 1e9,
        cluster.rest().uri());
    if (cluster.hasTaskManager()) {
      out.printf(
          Locale.ROOT,
          "  JobManager pid %d, TaskManager pid %d, %d slots; logs in %s%n",
          cluster.jobManagerPid(),
          cluster.taskManagerPid(),
          settings.slots(),
          cluster.logDir());
    } else {
      out.printf(
          Locale.ROOT,
          "  JobManager pid %d, no TaskManager yet; logs in %s%n",
          cluster.jobManagerPid(),
          cluster.logDir());
    }
    if (!settings.localTaskManager() || !settings.host().equals("localhost")) {
      out.println(
          "  add a TaskManager on another host: ./streamfirst flink start-taskmanager"
              + " --jobManager="
              + settings.host()
              + ":"
              + settings.rpcPort()
              + " --host=<that host's address> --checkpointDir="
              + displayDir(settings.checkpointDir())
              + " --savepointDir="
              + displayDir(settings.savepointDir()));
      if (settings.checkpointsInFolder()) {
        out.println(
            "  warning: checkpoints stay in "
                + home
                + ", which other hosts do not reach; give every host the same --checkpointDir"
                + " and --savepointDir on shared storage (NFS, HDFS, S3, GCS)");
      }
    }
    out.println(
        "  submit: ./streamfirst run rollup --runner=FlinkRunner --flinkMaster="
            + cluster.master()
            + " ...");
    out.printf(
        Locale.ROOT,
        "  metrics for Prometheus: http://%s:%d/metrics and http://%s:%d/metrics%n",
        settings.host(),
        settings.metricsPort(),
        settings.host(),
        settings.metricsPort() + 1);
    out.println("  stop:   ./streamfirst flink stop");
    return OK;
  }

  /** The flags that {@code start} and {@code start-taskmanager --jobManager} share. */
  private static FlinkClusterSettings hostFlag(
      FlinkClusterSettings settings, String flag, String command) {
    try {
      return applyHostFlag(settings, flag, command);
    } catch (IllegalArgumentException e) {
      if (!flag.startsWith("--")
          || e.getMessage().startsWith("unknown flag")
          || e.getMessage().startsWith("--")) {
        throw e;
      }
      // The settings' message names their method; a user typed the flag.
      throw new IllegalArgumentException(
          flag.substring(0, flag.indexOf('=') < 0 ? flag.length() : flag.indexOf('='))
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static FlinkClusterSettings applyHostFlag(
      FlinkClusterSettings settings, String flag, String command) {
    if (flag.startsWith("--host=")) {
      return settings.withHost(value(flag));
    } else if (flag.startsWith("--bindHost=")) {
      return settings.withBindHost(value(flag));
    } else if (flag.startsWith("--checkpointDir=")) {
      return settings.withCheckpointDir(value(flag));
    } else if (flag.startsWith("--savepointDir=")) {
      return settings.withSavepointDir(value(flag));
    } else if (flag.startsWith("--metricsPort=")) {
      return settings.withMetricsPort(parseInt(flag));
    } else if (flag.startsWith("--slots=")) {
      return settings.withSlots(parseInt(flag));
    } else if (flag.startsWith("-D") && flag.contains("=")) {
      int eq = flag.indexOf('=');
      return settings.withConfig(flag.substring(2, eq), flag.substring(eq + 1));
    }
    throw new IllegalArgumentException("unknown flag for 'flink " + command + "': " + flag);
  }

  private static String value(String flag) {
    return flag.substring(flag.indexOf('=') + 1);
  }

  /** A {@code file:} URI as the path it names, as a user would type it. */
  private static String displayDir(String uri) {
    return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)).toString() : uri;
  }

  private int stop() {
    Optional<FlinkSessionCluster> cluster = FlinkSessionCluster.find(home);
    if (cluster.isEmpty()) {
      out.println("No Flink cluster was started from " + home + "; nothing to stop.");
      return OK;
    }
    boolean wasRunning = cluster.get().stop(STOP_TIMEOUT);
    out.println(
        wasRunning
            ? "Stopped the Flink cluster at " + cluster.get().rest().uri()
            : "The Flink cluster from " + home + " was no longer running; cleaned up.");
    return OK;
  }

  private int status() throws IOException {
    Optional<FlinkSessionCluster> found = FlinkSessionCluster.find(home);
    if (found.isEmpty()) {
      out.println(
          "No Flink cluster is running from " + home + ". Start one: ./streamfirst flink start");
      return NOT_RUNNING;
    }
    FlinkSessionCluster cluster = found.get();
    if (!cluster.hasJobManager()) {
      out.println(
          "A Flink TaskManager (pid "
              + cluster.taskManagerPid()
              + ") started from "
              + home
              + (cluster.isTaskManagerAlive() ? " runs" : " is down")
              + "; it joined the JobManager whose web UI is at "
              + cluster.rest().uri()
              + ". Logs: "
              + cluster.logDir());
      return cluster.isTaskManagerAlive() ? OK : NOT_RUNNING;
    }
    Optional<JsonNode> overview = cluster.overview();
    if (cluster.isJobManagerAlive() && !cluster.isTaskManagerAlive() && overview.isPresent()) {
      out.println(
          "The Flink cluster at "
              + cluster.rest().uri()
              + " has lost its TaskManager (pid "
              + cluster.taskManagerPid()
              + "); its jobs wait for slots. Start a new one: ./streamfirst flink"
              + " start-taskmanager");
      return NOT_RUNNING;
    }
    if (!cluster.isAlive() || overview.isEmpty()) {
      out.println(
          "The Flink cluster started from "
              + home
              + " is down"
              + (cluster.isAlive()
                  ? " (its processes run but " + cluster.rest().uri() + " does not answer)"
                  : "")
              + ". Logs: "
              + cluster.logDir()
              + "; clean up with ./streamfirst flink stop");
      return NOT_RUNNING;
    }
    JsonNode o = overview.get();
    out.printf(
        Locale.ROOT,
        "Flink %s session cluster is up at %s (since %s)%n",
        o.path("flink-version").asText(),
        cluster.rest().uri(),
        CLOCK.format(cluster.started()));
    out.printf(
        Locale.ROOT,
        "  JobManager pid %d, TaskManager pid %d; %d TaskManager(s), %d of %d slots free%n",
        cluster.jobManagerPid(),
        cluster.taskManagerPid(),
        o.path("taskmanagers").asInt(),
        o.path("slots-available").asInt(),
        o.path("slots-total").asInt());
    List<FlinkRest.Job> jobs = cluster.rest().jobs();
    List<FlinkRest.Job> running = new ArrayList<>();
    jobs.stream().filter(j -> !FlinkRest.TERMINAL_STATES.contains(j.state())).forEach(running::add);
    out.println(
        "  jobs: "
            + running.size()
            + " running, "
            + (jobs.size() - running.size())
            + " ended"
            + (jobs.isEmpty() ? "" : ":"));
    for (FlinkRest.Job job : jobs) {
      out.printf(
          Locale.ROOT,
          "    %s  %-9s %s  (started %s, %s)%n",
          job.id(),
          job.state(),
          job.name(),
          CLOCK.format(job.started()),
          describe(job.duration()));
    }
    out.println("  logs: " + cluster.logDir());
    return OK;
  }

  private int stopJob(List<String> args) throws IOException {
    String jobId = null;
    boolean drain = false;
    String directory = null;
    for (String arg : args) {
      if (arg.equals("--drain")) {
        drain = true;
      } else if (arg.startsWith("--savepointDir=")) {
        directory = arg.substring("--savepointDir=".length());
      } else if (!arg.startsWith("-") && jobId == null) {
        jobId = arg;
      } else {
        throw new IllegalArgumentException("unknown argument for 'flink stop-job': " + arg);
      }
    }
    if (jobId == null) {
      throw new IllegalArgumentException(
          "'flink stop-job' needs a job id; './streamfirst flink status' lists them");
    }
    FlinkSessionCluster cluster =
        FlinkSessionCluster.find(home)
            .filter(FlinkSessionCluster::isAlive)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Flink cluster is running from " + home + "; nothing to stop"));
    out.println(
        "Stopping job " + jobId + " with a savepoint" + (drain ? " (draining)" : "") + " ...");
    String savepoint = cluster.rest().stopWithSavepoint(jobId, directory, drain, SAVEPOINT_TIMEOUT);
    out.println("Stopped. Savepoint: " + savepoint);
    out.println(
        "  resume (the same or a changed pipeline, same step names): ./streamfirst run <pipeline>"
            + " --runner=FlinkRunner --flinkMaster="
            + cluster.master()
            + " --savepointPath="
            + savepoint
            + " ...");
    return OK;
  }

  private int startTaskManager(List<String> args) throws IOException {
    if (args.stream().anyMatch(a -> a.startsWith("--jobManager="))) {
      return joinTaskManager(args);
    }
    if (!args.isEmpty()) {
      throw new IllegalArgumentException(
          "'flink start-taskmanager' without --jobManager=<host:port> replaces this project's"
              + " own TaskManager and takes no flags; got "
              + args.get(0));
    }
    FlinkSessionCluster cluster =
        FlinkSessionCluster.find(home)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Flink cluster was started from "
                            + home
                            + "; start one: ./streamfirst flink start"));
    out.println(
        "Starting a new TaskManager for the JobManager at " + cluster.rest().uri() + " ...");
    long begun = System.nanoTime();
    FlinkSessionCluster replaced = cluster.startTaskManager(lib, START_TIMEOUT);
    out.printf(
        Locale.ROOT,
        "TaskManager pid %d registered in %.1f s; jobs that lost theirs restart from their last"
            + " checkpoint%n",
        replaced.taskManagerPid(),
        (System.nanoTime() - begun) / 1e9);
    return OK;
  }

  /** {@code start-taskmanager --jobManager=host:port --host=<address> ...}: another host. */
  private int joinTaskManager(List<String> args) throws IOException {
    FlinkClusterSettings settings = FlinkClusterSettings.in(home, lib);
    boolean hostGiven = false;
    for (String flag : args) {
      if (flag.startsWith("--jobManager=")) {
        settings = settings.joining(value(flag));
      } else if (flag.startsWith("--port=")) {
        settings = settings.withRestPort(parseInt(flag));
      } else {
        hostGiven |= flag.startsWith("--host=");
        settings = hostFlag(settings, flag, "start-taskmanager");
      }
    }
    if (!hostGiven) {
      throw new IllegalArgumentException(
          "'flink start-taskmanager --jobManager=...' needs --host=<address>: the address of this"
              + " host that the JobManager and the other TaskManagers reach it at");
    }
    if (settings.checkpointsInFolder()) {
      out.println(
          "warning: no --checkpointDir: this TaskManager writes checkpoints to "
              + home
              + ", which the JobManager's host does not reach; give every host the same"
              + " --checkpointDir and --savepointDir on shared storage");
    }
    String jobManager = settings.jobManagerAddress().orElseThrow();
    out.println(
        "Starting a TaskManager on "
            + settings.host()
            + " that joins the JobManager at "
            + jobManager
            + " ...");
    long begun = System.nanoTime();
    FlinkSessionCluster joined = FlinkSessionCluster.joinTaskManager(settings, START_TIMEOUT);
    out.printf(
        Locale.ROOT,
        "TaskManager pid %d with %d slot(s) joined %s in %.1f s; logs in %s%n",
        joined.taskManagerPid(),
        settings.slots(),
        jobManager,
        (System.nanoTime() - begun) / 1e9,
        joined.logDir());
    out.println("  stop it: ./streamfirst flink stop");
    return OK;
  }

  private static int parseInt(String flag) {
    String value = flag.substring(flag.indexOf('=') + 1);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag.substring(0, flag.indexOf('=')) + " takes a whole number, got '" + value + "'");
    }
  }

  private static String describe(Duration d) {
    long s = d.toSeconds();
    return s < 60
        ? s + " s"
        : s < 3600
            ? (s / 60) + " min " + (s % 60) + " s"
            : (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  static void usage(PrintStream to) {
    to.println("usage: ./streamfirst flink <command>");
    to.println();
    to.println(
        "  start [--port=8081] [--rpcPort=6123] [--metricsPort=9249] [--slots=N] [-Dkey=value"
            + " ...]");
    to.println(
        "                            start a JobManager and a TaskManager; web UI on --port,"
            + " Prometheus metrics on --metricsPort and the port after it");
    to.println(
        "        [--host=ADDR] [--bindHost=ADDR] [--jobManagerOnly] [--checkpointDir=DIR]"
            + " [--savepointDir=DIR]");
    to.println(
        "                            across hosts: the address others reach this host at, what"
            + " to listen on, no local TaskManager, storage every host reaches");
    to.println("  status                    whether it is up, its slots and its jobs");
    to.println("  stop                      stop both processes");
    to.println("  stop-job <job-id> [--drain] [--savepointDir=/abs/dir]");
    to.println("                            stop a streaming job with a savepoint, for an upgrade");
    to.println("  start-taskmanager         start a TaskManager in place of one that died");
    to.println(
        "  start-taskmanager --jobManager=HOST:6123 --host=ADDR [--slots=N]"
            + " [--checkpointDir=DIR] [--savepointDir=DIR] [--bindHost=ADDR] [-Dkey=value]");
    to.println(
        "                            start a TaskManager on this host that joins a JobManager on"
            + " another one");
    to.println("  resume <pipeline> [--checkpointDir=/abs/dir] [pipeline flags]");
    to.println(
        "                            run a pipeline from the newest retained checkpoint (after"
            + " the JobManager was lost)");
  }
}
