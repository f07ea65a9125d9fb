package dev.streamfirst.runners;

import com.fasterxml.jackson.databind.JsonNode;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PortablePipelineOptions;

/**
 * The checks every run goes through before it is submitted, and how to run them.
 *
 * <pre>{@code
 * RunnerChecks.standard().verify(PlannedRun.of(pipeline, flags)); // throws, listing each problem
 * RunnerChecks.standard().with(myCheck).verify(run);
 * }</pre>
 */
public final class RunnerChecks {
  /** Flink options that only a streaming job uses. */
  static final List<String> FLINK_STREAMING_ONLY =
      List.of(
          "checkpointingInterval",
          "checkpointingMode",
          "checkpointTimeoutMillis",
          "minPauseBetweenCheckpoints",
          "savepointPath",
          "allowNonRestoredState",
          "unalignedCheckpointEnabled",
          "externalizedCheckpointsEnabled",
          "stateBackend");

  private static final String FLINK_RUNNERS = "org.apache.beam.runners.flink";
  private static final String DATAFLOW_RUNNERS = "org.apache.beam.runners.dataflow";
  private static final String DIRECT_RUNNER = "org.apache.beam.runners.direct";

  /**
   * Beam's runner for job servers (a Flink job server, Dataflow Runner v2's Fn API path), named
   * rather than referenced: the launcher does not ship it, tests and tools that do may use it.
   */
  static final String PORTABLE_RUNNER = "org.apache.beam.runners.portability.PortableRunner";

  private final List<RunnerCheck> checks;

  private RunnerChecks(List<RunnerCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The checks Streamfirst runs before every launch. */
  public static RunnerChecks standard() {
    return new RunnerChecks(
        List.of(
            RunnerChecks::optionsOfAnotherRunner,
            RunnerChecks::portableRunnerNeedsAJobServer,
            RunnerChecks::flinkStreamingOnlyOptions,
            RunnerChecks::flinkCollectionIsBatchOnly,
            RunnerChecks::flinkStateBackend,
            RunnerChecks::flinkClusterCanRunIt,
            RunnerChecks::dataflowUpdateNeedsStreaming,
            RunnerChecks::metricsPort,
            new KafkaExactlyOnceCheck()));
  }

  /** These checks and {@code more}. */
  public RunnerChecks with(RunnerCheck... more) {
    List<RunnerCheck> all = new ArrayList<>(checks);
    Collections.addAll(all, more);
    return new RunnerChecks(all);
  }

  /** Every problem of every check, in order. */
  public List<String> problems(PlannedRun run) {
    List<String> problems = new ArrayList<>();
    for (RunnerCheck check : checks) {
      problems.addAll(check.problems(run));
    }
    return problems;
  }

  /**
   * @throws UnsupportedOnRunnerException listing every problem, naming the runner, if there is any
   */
  public void verify(PlannedRun run) {
    List<String> problems = problems(run);
    if (!problems.isEmpty()) {
      throw new UnsupportedOnRunnerException(run.runner().getSimpleName(), problems);
    }
  }

  /**
   * {@code --metricsPort} serves what the launcher can read from the job it runs: a job on a
   * cluster or on Dataflow is watched through that service's own metrics.
   */
  static List<String> metricsPort(PlannedRun run) {
    Integer port = run.options().as(LaunchOptions.class).getMetricsPort();
    if (port == null) {
      return List.of();
    }
    if (port < 1 || port > 65535) {
      return List.of(
          "--metricsPort="
              + port
              + ": must be a TCP port from 1 to 65535, e.g. --metricsPort=9400");
    }
    if (RunnerDefaults.flinkCluster(run.options()).isPresent()) {
      return List.of(
          "--metricsPort="
              + port
              + ": a job on a Flink cluster is watched through the cluster's own Prometheus"
              + " reporter (see README, 'Watch a running job'); drop --metricsPort, or run with"
              + " --flinkMaster=[local]");
    }
    if (FlinkRunner.class.equals(run.runner())
        && !"[local]".equals(run.options().as(FlinkPipelineOptions.class).getFlinkMaster())) {
      return List.of(
          "--metricsPort="
              + port
              + ": on Flink it is served by the embedded cluster of --flinkMaster=[local]; use"
              + " that, or drop --metricsPort");
    }
    if (run.runner().getPackageName().startsWith(DATAFLOW_RUNNERS)) {
      return List.of(
          "--metricsPort="
              + port
              + ": a Dataflow job reports its metrics to Cloud Monitoring; drop --metricsPort");
    }
    return List.of();
  }

  /**
   * Options that belong to one runner are silently ignored by the others. PortableRunner hands
   * every option to its job server, and a Flink job server reads Flink's ({@code --parallelism},
   * {@code --checkpointingInterval}, ...), so those pass there.
   */
  static List<String> optionsOfAnotherRunner(PlannedRun run) {
    String runnerPackage = run.runner().getPackageName();
    boolean portable = PORTABLE_RUNNER.equals(run.runner().getName());
    Map<String, String> owners = runnerOwnedOptions();
    List<String> problems = new ArrayList<>();
    for (String option : run.givenOptions()) {
      String owner = owners.get(option);
      if (portable && FLINK_RUNNERS.equals(owner)) {
        continue;
      }
      if (owner != null && !runnerPackage.startsWith(owner)) {
        problems.add(
            run.flag(option)
                + ": this is a "
                + runnerName(owner)
                + " option and "
                + run.runner().getSimpleName()
                + " would silently ignore it; drop it, or run with --runner="
                + runnerName(owner));
      }
    }
    return problems;
  }

  /** PortableRunner only submits: without a job server's address it has nowhere to send the job. */
  static List<String> portableRunnerNeedsAJobServer(PlannedRun run) {
    if (!PORTABLE_RUNNER.equals(run.runner().getName())) {
      return List.of();
    }
    String endpoint = run.options().as(PortablePipelineOptions.class).getJobEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      return List.of(
          "--runner=PortableRunner: it submits the job to a job server and none was named; add"
              + " --jobEndpoint=host:port of a running job server (e.g. a Flink job server's job"
              + " port), or run with --runner=FlinkRunner");
    }
    return List.of();
  }

  /** A bounded pipeline runs on Flink as a batch job: no checkpoints, no savepoints, no state. */
  static List<String> flinkStreamingOnlyOptions(PlannedRun run) {
    if (!FlinkRunner.class.equals(run.runner()) || run.streaming()) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (String option : FLINK_STREAMING_ONLY) {
      if (run.given(option)) {
        problems.add(
            run.flag(option)
                + ": only streaming jobs use this, and FlinkRunner runs a pipeline whose sources"
                + " are all bounded as a batch job; add --streaming=true to run it as a streaming"
                + " job, or drop the option");
      }
    }
    return problems;
  }

  /** Flink's collection environment executes batch programs only. */
  static List<String> flinkCollectionIsBatchOnly(PlannedRun run) {
    if (FlinkRunner.class.equals(run.runner())
        && "[collection]".equals(run.options().as(FlinkPipelineOptions.class).getFlinkMaster())
        && run.streaming()) {
      return List.of(
          "--flinkMaster=[collection]: Flink's collection environment runs batch jobs only, and"
              + " this pipeline "
              + (run.unbounded() ? "has an unbounded source" : "asks for --streaming")
              + "; use --flinkMaster=[local] or a cluster's host:port");
    }
    return List.of();
  }

  /** Beam's FlinkRunner 2.62 builds two state backends, one of which needs RocksDB's classes. */
  static List<String> flinkStateBackend(PlannedRun run) {
    if (!FlinkRunner.class.equals(run.runner())) {
      return List.of();
    }
    String backend = run.options().as(FlinkPipelineOptions.class).getStateBackend();
    if (backend == null) {
      return List.of();
    }
    String flag =
        run.given("stateBackend") ? run.flag("stateBackend") : "--stateBackend=" + backend;
    if (!backend.equals(RunnerDefaults.HEAP_BACKEND)
        && !backend.equals(RunnerDefaults.ROCKSDB_BACKEND)) {
      return List.of(
          flag
              + ": FlinkRunner knows 'hashmap' (state on the heap; Beam calls it 'filesystem')"
              + " and 'rocksdb' (state on local disk, for state larger than memory)");
    }
    if (backend.equals(RunnerDefaults.ROCKSDB_BACKEND)
        && !onClasspath("org.apache.flink.contrib.streaming.state.RocksDBStateBackend")) {
      return List.of(
          flag
              + ": RocksDB's classes are not on the classpath; add"
              + " org.apache.flink:flink-statebackend-rocksdb (the bundled jar has them)");
    }
    return List.of();
  }

  /** A job sent to a cluster that is not there, or that has too few slots, would only hang. */
  static List<String> flinkClusterCanRunIt(PlannedRun run) {
    Optional<String> cluster = RunnerDefaults.flinkCluster(run.options());
    if (cluster.isEmpty()) {
      return List.of();
    }
    Optional<JsonNode> overview = RunnerDefaults.clusterOverview(run.options());
    if (overview.isEmpty()) {
      return List.of(
          "--flinkMaster="
              + cluster.get()
              + ": no Flink cluster answers there; start one with './streamfirst flink start'"
              + " (or point --flinkMaster at a running cluster's REST address)");
    }
    Integer parallelism = run.options().as(FlinkPipelineOptions.class).getParallelism();
    int slots = overview.get().path("slots-total").asInt();
    if (parallelism != null && parallelism > slots) {
      return List.of(
          "--parallelism="
              + parallelism
              + ": the Flink cluster at "
              + cluster.get()
              + " has "
              + slots
              + " task slots, so the job would wait for slots that never come; use"
              + " --parallelism="
              + slots
              + " or give the cluster more slots (./streamfirst flink start --slots=N)");
    }
    return List.of();
  }

  /** Dataflow can replace a running job in place only when it is a streaming job. */
  static List<String> dataflowUpdateNeedsStreaming(PlannedRun run) {
    if (DataflowRunner.class.equals(run.runner())
        && run.options().as(DataflowPipelineOptions.class).isUpdate()
        && !run.streaming()) {
      return List.of(
          run.flag("update")
              + ": Dataflow updates only streaming jobs in place, and this pipeline's sources are"
              + " all bounded (a batch job); drop --update and start a new job");
    }
    return List.of();
  }

  /**
   * Option name → the runner package that alone declares it, for options that only one runner
   * reads. Options that shared interfaces declare (PipelineOptions, StreamingOptions, GcpOptions
   * ...) belong to no runner.
   */
  private static Map<String, String> runnerOwnedOptions() {
    Map<String, Set<String>> declaredIn = new TreeMap<>();
    for (Class<? extends PipelineOptions> type : PipelineOptionsFactory.getRegisteredOptions()) {
      for (Method method : type.getDeclaredMethods()) {
        String name = optionName(method);
        if (name != null) {
          declaredIn.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(type.getPackageName());
        }
      }
    }
    Map<String, String> owners = new TreeMap<>();
    declaredIn.forEach(
        (name, packages) -> {
          for (String runner : List.of(FLINK_RUNNERS, DATAFLOW_RUNNERS, DIRECT_RUNNER)) {
            if (packages.stream().allMatch(p -> p.startsWith(runner))) {
              owners.put(name, runner);
            }
          }
        });
    return owners;
  }

  private static String optionName(Method getter) {
    String name = getter.getName();
    if (getter.getParameterCount() != 0) {
      return null;
    }
    String bare =
        name.startsWith("get") && name.length() > 3
            ? name.substring(3)
            : name.startsWith("is") && name.length() > 2 ? name.substring(2) : null;
    // The same rule PipelineOptionsFactory uses to turn getters into option names.
    return bare == null ? null : Introspector.decapitalize(bare);
  }

  private static String runnerName(String runnerPackage) {
    return switch (runnerPackage) {
      case FLINK_RUNNERS -> "FlinkRunner";
      case DATAFLOW_RUNNERS -> "DataflowRunner";
      default -> "DirectRunner";
    };
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, RunnerChecks.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
