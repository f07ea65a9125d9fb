package dev.streamfirst.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfirst.runners.KafkaExactlyOnceCheck;
import dev.streamfirst.runners.LaunchOptions;
import dev.streamfirst.runners.PlannedRun;
import dev.streamfirst.runners.ProjectRoot;
import dev.streamfirst.runners.RunnerDefaults;
import dev.streamfirst.runners.RunnerProfile;
import dev.streamfirst.runners.SubmittedJob;
import dev.streamfirst.runners.metrics.MetricsEndpoint;
import dev.streamfirst.transforms.metrics.RunReportMetrics;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.runners.flink.CorrectedFlinkRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * FlinkRunner, embedded ({@code [local]}, {@code [auto]}, {@code [collection]}) or on a session
 * cluster ({@code host:port}). Its defaults are in the table of {@link RunnerDefaults}. A job on a
 * cluster is submitted detached, followed through the cluster's REST API and left running when the
 * launcher is interrupted; an embedded job runs in the launcher's JVM and is cancelled.
 */
public final class FlinkProfile implements RunnerProfile {
  /** Flink options that only a streaming job uses. */
  static final List<String> STREAMING_ONLY =
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

  /** Beam's FlinkRunner names Flink's heap state backend ({@code hashmap}) "filesystem". */
  static final String HEAP_BACKEND = "filesystem";

  static final String ROCKSDB_BACKEND = "rocksdb";

  private static final Set<String> EMBEDDED_MASTERS = Set.of("[local]", "[auto]", "[collection]");

  /** The {@code host:port} of the Flink cluster a FlinkRunner job goes to; empty if embedded. */
  public static Optional<String> cluster(PipelineOptions options) {
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    return master == null || EMBEDDED_MASTERS.contains(master) || !master.matches(".+:\\d+")
        ? Optional.empty()
        : Optional.of(master.replaceFirst("^https?://", ""));
  }

  @Override
  public void beforeBuild(PipelineOptions options, Set<String> given) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String backend = flink.getStateBackend();
    if (backend != null) {
      String normalized = backend.trim().toLowerCase(Locale.ROOT);
      flink.setStateBackend(normalized.equals("hashmap") ? HEAP_BACKEND : normalized);
      if (flink.getStateBackendStoragePath() == null) {
        flink.setStateBackendStoragePath(
            ProjectRoot.flinkHome().resolve("checkpoints").toUri().toString());
      }
    }
    Optional<String> cluster = cluster(flink);
    if (cluster.isEmpty()) {
      if ("[local]".equals(flink.getFlinkMaster()) && !given.contains("parallelism")) {
        flink.setParallelism(Runtime.getRuntime().availableProcessors());
      }
      Integer metricsPort = flink.as(LaunchOptions.class).getMetricsPort();
      if ("[local]".equals(flink.getFlinkMaster())
          && metricsPort != null
          && metricsPort > 0
          && metricsPort <= 65535
          && !given.contains("flinkConfDir")) {
        try {
          flink.setFlinkConfDir(LocalFlinkMetrics.confDir(metricsPort).toString());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the embedded Flink's configuration", e);
        }
      }
      return;
    }
    if (!given.contains("filesToStage")) {
      ProjectRoot.bundledJar().ifPresent(jar -> flink.setFilesToStage(List.of(jar.toString())));
    }
    if (!given.contains("parallelism")) {
      FlinkRest.at(cluster.get())
          .overview()
          .map(o -> o.path("slots-total").asInt())
          .filter(slots -> slots > 0)
          .ifPresent(flink::setParallelism);
    }
    if (!given.contains("attachedMode")) {
      // The job belongs to the cluster: the launcher follows it, and may leave, without holding a
      // client connection that ends with it.
      flink.setAttachedMode(false);
    }
    if (!given.contains("jobCheckIntervalInSecs")) {
      flink.setJobCheckIntervalInSecs(1);
    }
  }

  @Override
  public void forPipeline(PlannedRun run) {
    FlinkPipelineOptions flink = run.options().as(FlinkPipelineOptions.class);
    if (!run.given("fasterCopy")) {
      // Copies between chained steps are needless in batch: our transforms never change their
      // inputs (DirectRunner tests enforce it). In streaming the heap state backend snapshots
      // asynchronously and copies a state value before it is changed only through the same copy:
      // without it, a combining accumulator changed in place while a checkpoint wrote it failed
      // the job.
      flink.setFasterCopy(!run.streaming());
    }
    if (run.streaming()) {
      streaming(flink, run);
    }
  }

  private static void streaming(FlinkPipelineOptions flink, PlannedRun run) {
    flink.as(StreamingOptions.class).setStreaming(true);
    // Real bundles: the launcher submits through CorrectedFlinkRunner, whose steps pass their
    // watermark on whenever a bundle ends (FlinkRunner 2.62's own do so only when one ends by
    // count, which made one-element bundles necessary).
    if (!run.given("maxBundleSize")) {
      flink.setMaxBundleSize(RunnerDefaults.STREAMING_MAX_BUNDLE_SIZE);
    }
    if (!run.given("maxBundleTimeMills")) {
      flink.setMaxBundleTimeMills(RunnerDefaults.STREAMING_MAX_BUNDLE_TIME_MS);
    }
    if (!run.given("finishBundleBeforeCheckpointing")) {
      // A bundle open at a checkpoint would otherwise be finished inside the snapshot, its output
      // held until after it, and the watermark with it.
      flink.setFinishBundleBeforeCheckpointing(true);
    }
    if (!run.given("objectReuse")) {
      // Chained steps hand elements on without a defensive copy (an encode and a decode each, a
      // tenth of a TaskManager's CPU on the live rollup): our transforms never mutate inputs.
      // State is still copied before it is changed, since fasterCopy stays off in streaming.
      flink.setObjectReuse(true);
    }
    if (!run.given("checkpointingInterval")) {
      flink.setCheckpointingInterval(
          run.requiresStableInput()
              ? RunnerDefaults.EXACTLY_ONCE_CHECKPOINT_INTERVAL_MS
              : RunnerDefaults.CHECKPOINT_INTERVAL_MS);
    }
    if (flink.getCheckpointingInterval() != null && flink.getCheckpointingInterval() > 0) {
      if (!run.given("externalizedCheckpointsEnabled")) {
        flink.setExternalizedCheckpointsEnabled(true);
      }
      if (!run.given("retainExternalizedCheckpointsOnCancellation")) {
        flink.setRetainExternalizedCheckpointsOnCancellation(true);
      }
      if (!run.given("unalignedCheckpointEnabled")
          && "EXACTLY_ONCE".equals(flink.getCheckpointingMode())) {
        // A slow step (a lookup, a sink) fills the network buffers in front of it; an aligned
        // barrier waits behind all of that data, so checkpoints, and an exactly-once sink's rows
        // with them, stall until the backlog is gone. An unaligned barrier overtakes it (the data
        // goes into the checkpoint instead). BackpressureIT measured it: after a slow lookup
        // recovered, the consumer lag drained in 6 s instead of 82 s (docs/reliability.md).
        flink.setUnalignedCheckpointEnabled(true);
      }
      if (!run.given("shutdownSourcesAfterIdleMs")) {
        // Beam keeps finished sources alive when checkpointing is on, for Flink versions that
        // could not checkpoint after a task finished; Flink 1.19 can (FLIP-147), and a source
        // that ends (generator count=) must let the job finish. Not so for a step that needs
        // stable input (an exactly-once sink): it releases its input only at checkpoints, and
        // FlinkRunner 2.62 fails such a job when its sources end with that input still held.
        flink.setShutdownSourcesAfterIdleMs(run.requiresStableInput() ? Long.MAX_VALUE : 0L);
      }
    }
  }

  @Override
  public List<String> problems(PlannedRun run) {
    List<String> problems = new ArrayList<>();
    problems.addAll(streamingOnlyOptions(run));
    problems.addAll(collectionIsBatchOnly(run));
    problems.addAll(stateBackend(run));
    problems.addAll(clusterCanRunIt(run));
    return problems;
  }

  /** A bounded pipeline runs on Flink as a batch job: no checkpoints, no savepoints, no state. */
  private static List<String> streamingOnlyOptions(PlannedRun run) {
    if (run.streaming()) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (String option : STREAMING_ONLY) {
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
  private static List<String> collectionIsBatchOnly(PlannedRun run) {
    if ("[collection]".equals(run.options().as(FlinkPipelineOptions.class).getFlinkMaster())
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
  private static List<String> stateBackend(PlannedRun run) {
    String backend = run.options().as(FlinkPipelineOptions.class).getStateBackend();
    if (backend == null) {
      return List.of();
    }
    String flag =
        run.given("stateBackend") ? run.flag("stateBackend") : "--stateBackend=" + backend;
    if (!backend.equals(HEAP_BACKEND) && !backend.equals(ROCKSDB_BACKEND)) {
      return List.of(
          flag
              + ": FlinkRunner knows 'hashmap' (state on the heap; Beam calls it 'filesystem')"
              + " and 'rocksdb' (state on local disk, for state larger than memory)");
    }
    if (backend.equals(ROCKSDB_BACKEND)
        && !onClasspath("org.apache.flink.contrib.streaming.state.RocksDBStateBackend")) {
      return List.of(
          flag
              + ": RocksDB's classes are not on the classpath; add"
              + " org.apache.flink:flink-statebackend-rocksdb (the bundled jar has them)");
    }
    return List.of();
  }

  /** A job sent to a cluster that is not there, or that has too few slots, would only hang. */
  private static List<String> clusterCanRunIt(PlannedRun run) {
    Optional<String> cluster = cluster(run.options());
    if (cluster.isEmpty()) {
      return List.of();
    }
    Optional<JsonNode> overview = FlinkRest.at(cluster.get()).overview();
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

  @Override
  public List<String> metricsPortProblems(PlannedRun run, int port) {
    if (cluster(run.options()).isPresent()) {
      return List.of(
          "--metricsPort="
              + port
              + ": a job on a Flink cluster is watched through the cluster's own Prometheus"
              + " reporter (see README, 'Watch a running job'); drop --metricsPort, or run with"
              + " --flinkMaster=[local]");
    }
    if (!"[local]".equals(run.options().as(FlinkPipelineOptions.class).getFlinkMaster())) {
      return List.of(
          "--metricsPort="
              + port
              + ": on Flink it is served by the embedded cluster of --flinkMaster=[local]; use"
              + " that, or drop --metricsPort");
    }
    return List.of();
  }

  /**
   * Flink keeps the sink's input stable only in a streaming job whose checkpoints are exactly-once:
   * it holds the input back until the checkpoint that covers it completes.
   */
  @Override
  public List<String> exactlyOnceKafkaSinkProblems(PlannedRun run, String sink) {
    String atLeastOnce = KafkaExactlyOnceCheck.AT_LEAST_ONCE;
    if (!run.unbounded()) {
      // Observed with Beam 2.62 on Flink 1.19: as a batch job the requirement is ignored; as a
      // streaming job the held input is never released once the bounded sources end.
      return List.of(
          sink
              + ": FlinkRunner commits this sink's transactions at checkpoints, which only a job"
              + " that keeps running has, and this pipeline's sources are all bounded; read an"
              + " unbounded source (a live kafka:// or pubsub:// source, or generator://...?rate=),"
              + " or use "
              + atLeastOnce);
    }
    FlinkPipelineOptions flink = run.options().as(FlinkPipelineOptions.class);
    List<String> problems = new ArrayList<>();
    Long interval = flink.getCheckpointingInterval();
    if (interval == null || interval <= 0) {
      problems.add(
          flagOr(run, "checkpointingInterval", "--checkpointingInterval=" + interval)
              + ": the exactly-once Kafka sink commits its transactions when Flink checkpoints,"
              + " and this job would never checkpoint; set --checkpointingInterval=<ms> (e.g."
              + " 30000), or use "
              + atLeastOnce
              + " in "
              + sink);
    }
    if (!"EXACTLY_ONCE".equals(flink.getCheckpointingMode())) {
      problems.add(
          flagOr(run, "checkpointingMode", "--checkpointingMode=" + flink.getCheckpointingMode())
              + ": the exactly-once Kafka sink needs exactly-once checkpoints; use"
              + " --checkpointingMode=EXACTLY_ONCE, or "
              + atLeastOnce
              + " in "
              + sink);
    }
    Long idle = flink.getShutdownSourcesAfterIdleMs();
    // -1, Beam's default, lets FlinkRunner choose: it keeps sources open when checkpointing.
    if (idle != null && idle >= 0 && idle != Long.MAX_VALUE) {
      problems.add(
          flagOr(run, "shutdownSourcesAfterIdleMs", "--shutdownSourcesAfterIdleMs=" + idle)
              + ": a source shut down after it ends stops the checkpoints that commit the"
              + " exactly-once Kafka sink's last rows; leave the option out (the job then runs"
              + " until cancelled), or use "
              + atLeastOnce
              + " in "
              + sink);
    }
    return problems;
  }

  /**
   * Submits through {@link CorrectedFlinkRunner}, which corrects FlinkRunner 2.62's streaming
   * defects in the translated job (watermarks held back by open bundles, sources read again after a
   * restore). The options name {@code FlinkRunner} again once the job is submitted.
   */
  @Override
  public PipelineResult submit(Pipeline pipeline) {
    PipelineOptions options = pipeline.getOptions();
    options.setRunner(CorrectedFlinkRunner.class);
    try {
      return pipeline.run();
    } finally {
      options.setRunner(FlinkRunner.class);
    }
  }

  /**
   * The embedded cluster's own Prometheus reporter serves the metrics (LocalFlinkMetrics): only
   * check that it can, since the reporter would just log a port it cannot take.
   */
  @Override
  public @Nullable MetricsEndpoint serveMetrics(PipelineOptions options, int port, PrintStream log)
      throws IOException {
    try (ServerSocket probe = new ServerSocket(port)) {
      probe.setReuseAddress(true);
    }
    log.println(
        "Serving the job's metrics for Prometheus at http://localhost:"
            + port
            + "/metrics (the embedded Flink cluster's Prometheus reporter)");
    return null;
  }

  @Override
  public List<Class<? extends PipelineOptions>> helpOptions() {
    return List.of(FlinkPipelineOptions.class, FlinkNetworkOptions.class);
  }

  @Override
  public String where(PipelineOptions options) {
    return cluster(options).map(c -> " at " + c).orElse("");
  }

  /** A detached job on a cluster is found there by name; its counters come from the cluster. */
  @Override
  public SubmittedJob submitted(PipelineOptions options, PipelineResult result, PrintStream log) {
    Optional<String> cluster = cluster(options);
    if (cluster.isEmpty()) {
      return SubmittedJob.IN_RESULT;
    }
    FlinkRest rest = FlinkRest.at(cluster.get());
    Optional<FlinkRest.Job> job;
    try {
      job = rest.jobNamed(options.getJobName());
    } catch (IOException e) {
      job = Optional.empty();
    }
    if (job.isEmpty()) {
      return SubmittedJob.IN_RESULT;
    }
    String id = job.get().id();
    log.println(
        "Submitted Flink job "
            + id
            + " — web UI http://"
            + cluster.get()
            + "/#/job/running/"
            + id
            + "/overview");
    return new SubmittedJob() {
      @Override
      public Optional<String> id() {
        return Optional.of(id);
      }

      @Override
      public Optional<Counters> counters() {
        try {
          return Optional.of(
              new Counters(
                  rest.counters(id, StreamfirstMetrics.NAMESPACE),
                  rest.counters(id, RunReportMetrics.NAMESPACE)));
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    };
  }

  @Override
  public boolean outlivesLauncher(PipelineOptions options) {
    return cluster(options).isPresent();
  }

  @Override
  public String stopHint(PipelineOptions options) {
    return cluster(options).isPresent()
        ? "The job keeps running on the cluster; see it with './streamfirst flink status', stop it"
            + " with a savepoint with './streamfirst flink stop-job <job-id>'."
        : RunnerProfile.super.stopHint(options);
  }

  private static String flagOr(PlannedRun run, String option, String fallback) {
    return run.given(option) ? run.flag(option) : fallback;
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, FlinkProfile.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
