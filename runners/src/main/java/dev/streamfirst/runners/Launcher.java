package dev.streamfirst.runners;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.file.OutputDirectory;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.InvalidOptionsException;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.runners.dataflow.DataflowSpecs;
import dev.streamfirst.runners.dataflow.offline.JobSpecs;
import dev.streamfirst.runners.flink.FlinkCommand;
import dev.streamfirst.runners.flink.RetainedCheckpoints;
import dev.streamfirst.runners.metrics.MetricsEndpoint;
import dev.streamfirst.runners.report.ReportLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The command line behind {@code ./streamfirst}: {@code list} the pipelines, or {@code run} one
 * with flags, reporting progress while it runs and a summary at the end.
 *
 * <pre>{@code
 * ./streamfirst run rollup --source=file:///data/events --window=sliding:5m/1m
 * }</pre>
 */
public final class Launcher {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int INTERRUPTED = 130;
  private static final String KAFKA_NETWORK_LOG =
      "org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient";

  private static final String DEFAULT_PIPELINE = "rollup";
  private static final Duration PROGRESS_EVERY = Duration.standardSeconds(2);
  private static final Duration POLL_EVERY = Duration.millis(200);
  private static final Duration SAMPLE_EVERY = Duration.standardSeconds(1);

  private final PrintStream out;
  private final PrintStream err;
  private final AtomicBoolean stopRequested = new AtomicBoolean(false);
  // How the last run ended, for its audit record.
  private volatile String lastStatus = "FAILED";
  private volatile Map<String, Long> lastCounters = Map.of();
  private volatile String lastRunnerJobId;
  private volatile Runnable onStop;

  /** A launcher that writes to these streams; {@link #run} is the whole command line. */
  public Launcher(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // The launcher says itself when a Kafka broker does not answer (LocalIoPreflight); the
    // client's warning per reconnect attempt would only bury that line.
    if (System.getProperty(KAFKA_NETWORK_LOG) == null) {
      System.setProperty(KAFKA_NETWORK_LOG, "error");
    }
    Launcher launcher = new Launcher(System.out, System.err);
    try {
      // Ctrl-C stops a run the way a user means it: cancel, say what was written, clean up. Only
      // when nothing is running yet (or a second Ctrl-C) does the launcher just exit.
      sun.misc.Signal.handle(
          new sun.misc.Signal("INT"),
          signal -> {
            if (!launcher.requestStop()) {
              System.exit(INTERRUPTED);
            }
          });
    } catch (IllegalArgumentException e) {
      // No SIGINT on this platform: the JVM's own handling stays.
    }
    System.exit(launcher.run(args));
  }

  /**
   * Asks the running pipeline to stop, as Ctrl-C does.
   *
   * @return false when there is nothing to stop (or a stop was already asked for)
   */
  boolean requestStop() {
    Runnable action = onStop;
    if (action == null || !stopRequested.compareAndSet(false, true)) {
      return false;
    }
    action.run();
    return true;
  }

  /**
   * Runs one command line, e.g. {@code run rollup --source=...}, and returns its exit code: 0 done,
   * 1 failed, 2 wrong usage.
   */
  public int run(String[] args) {
    if (args.length == 0 || isHelp(args[0])) {
      usage(out);
      return OK;
    }
    return switch (args[0]) {
      case "list" -> {
        list();
        yield OK;
      }
      case "run" -> runPipeline(Arrays.copyOfRange(args, 1, args.length));
      case "dataflow-spec" -> dataflowSpec(Arrays.copyOfRange(args, 1, args.length));
      case "flink" -> {
        if (args.length > 1 && args[1].equals("resume")) {
          yield resume(Arrays.copyOfRange(args, 2, args.length));
        }
        yield FlinkCommand.forProject(out, err, ProjectRoot.path())
            .run(Arrays.asList(args).subList(1, args.length));
      }
      default -> {
        err.println("error: unknown command '" + args[0] + "'");
        usage(err);
        yield USAGE;
      }
    };
  }

  private void list() {
    for (PipelineDefinition<?> p : PipelineCatalog.all()) {
      out.printf(Locale.ROOT, "%-12s %s%n", p.name(), p.description());
    }
  }

  private int runPipeline(String[] args) {
    boolean named = args.length > 0 && !args[0].startsWith("-");
    String name = named ? args[0] : DEFAULT_PIPELINE;
    String[] flags = named ? Arrays.copyOfRange(args, 1, args.length) : args;
    Optional<PipelineDefinition<?>> found = PipelineCatalog.find(name);
    if (found.isEmpty()) {
      err.println(
          "error: unknown pipeline '"
              + name
              + "'; available: "
              + String.join(", ", PipelineCatalog.all().stream().map(p -> p.name()).toList()));
      return USAGE;
    }
    PipelineDefinition<?> definition = found.get();
    if (Arrays.stream(flags).anyMatch(Launcher::isHelp)) {
      String runner =
          Arrays.stream(flags)
              .filter(f -> f.startsWith("--runner="))
              .map(f -> f.substring("--runner=".length()))
              .findFirst()
              .orElse(null);
      OptionsHelp.print(out, definition, runner);
      return OK;
    }

    PreparedRun prepared;
    try {
      prepared = PreparedRun.of(definition, flags);
    } catch (InvalidOptionsException e) {
      err.println("error: " + e.getMessage());
      err.println("(run './streamfirst run " + name + " --help' for every option)");
      return USAGE;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("(run './streamfirst run " + name + " --help' for every option)");
      return USAGE;
    } catch (IllegalStateException e) {
      // Building can ask a server (a Kafka replay looks up its offsets): one line, no trace.
      err.println("error: " + e.getMessage());
      return FAILED;
    }

    LocalIoPreflight preflight;
    try {
      preflight = LocalIoPreflight.check(prepared.plan());
      preflight.throwIfAny();
    } catch (InvalidOptionsException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    preflight.warnings().forEach(w -> err.println("warning: " + w));
    try {
      preflight.clearEarlierOutput();
    } catch (java.io.UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    }

    PipelineOptions options = prepared.options();
    Optional<Path> reportDir;
    try {
      reportDir =
          ReportLocation.resolve(
              options.as(LaunchOptions.class).getReport(),
              options instanceof SinkOptions sinks ? sinks.getSink() : null,
              Path.of(System.getProperty("user.dir")));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    // Only what the pipeline writes goes to stdout (a console: sink), so it can be piped; what
    // the launcher says goes to stderr.
    err.println(
        "Running "
            + name
            + " on "
            + options.getRunner().getSimpleName()
            + RunnerProfiles.of(options).where(options)
            + " — "
            + RunSummary.describeIo(options));
    AuditLog audit = null;
    String auditUri = options.as(LaunchOptions.class).getAuditLog();
    if (auditUri != null) {
      try {
        audit = AuditLog.of(auditUri);
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return USAGE;
      }
    }
    java.time.Instant startedAt = java.time.Instant.now();
    lastStatus = "FAILED";
    lastCounters = Map.of();
    lastRunnerJobId = null;
    RunRecorder recorder =
        new RunRecorder(err, name, prepared.plan(), reportDir, preflight.outputsByOption());
    int code = FAILED;
    try {
      code =
          execute(
              prepared.pipeline(),
              prepared.plan().outputs(),
              preflight.outputsByOption(),
              recorder);
    } finally {
      // Also when the runner threw (a Flink [local] job fails inside its submission).
      recorder.write(code);
    }
    if (audit != null) {
      try {
        audit.append(
            AuditLog.record(
                new AuditLog.Run(
                    name,
                    args,
                    options,
                    startedAt,
                    java.time.Instant.now(),
                    lastRunnerJobId,
                    lastCounters,
                    code,
                    lastStatus)));
      } catch (java.io.IOException | RuntimeException e) {
        err.println("error: cannot append to the audit log " + audit.describe() + ": " + e);
        return code == OK ? FAILED : code;
      }
    }
    return code;
  }

  /**
   * {@code flink resume <pipeline> [--checkpointDir=<dir>] [--job=<id>] [flags]}: runs the pipeline
   * from the newest checkpoint retained under the directory its checkpoints went to, e.g. after the
   * JobManager was lost and the job with it. Without {@code --checkpointDir} that is the flags'
   * {@code --stateBackendStoragePath}, else the project cluster's {@code .flink/checkpoints}.
   */
  private int resume(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      err.println(
          "error: flink resume needs a pipeline and the flags it ran with, e.g. ./streamfirst"
              + " flink resume rollup --runner=FlinkRunner --flinkMaster=localhost:8081 ...");
      return USAGE;
    }
    String directory = null;
    Optional<String> job = Optional.empty();
    String storagePath = null;
    List<String> pipelineArgs = new ArrayList<>(List.of(args[0]));
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      if (arg.startsWith(RetainedCheckpoints.DIRECTORY_FLAG + "=")) {
        directory = arg.substring(arg.indexOf('=') + 1);
      } else if (arg.startsWith(RetainedCheckpoints.JOB_FLAG + "=")) {
        job = Optional.of(arg.substring(arg.indexOf('=') + 1));
      } else if (arg.startsWith("--savepointPath=")) {
        err.println(
            "error: flink resume finds the checkpoint itself; drop --savepointPath, or start from"
                + " that path with ./streamfirst run "
                + args[0]
                + " --savepointPath=...");
        return USAGE;
      } else {
        if (arg.startsWith("--stateBackendStoragePath=")) {
          storagePath = arg.substring(arg.indexOf('=') + 1);
        }
        pipelineArgs.add(arg);
      }
    }
    if (directory == null) {
      directory =
          storagePath != null
              ? storagePath
              : ProjectRoot.flinkHome().resolve("checkpoints").toString();
    }
    RetainedCheckpoints.Checkpoint checkpoint;
    try {
      checkpoint = RetainedCheckpoints.latest(directory, job);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    err.println(
        "Resuming from checkpoint "
            + checkpoint.number()
            + " of job "
            + checkpoint.jobId()
            + " (completed "
            + checkpoint.completed()
            + "): "
            + checkpoint.path());
    pipelineArgs.add("--savepointPath=" + checkpoint.path().toUri());
    return runPipeline(pipelineArgs.toArray(new String[0]));
  }

  private int execute(
      Pipeline pipeline,
      List<String> outputs,
      Map<String, OutputDirectory> directories,
      RunRecorder recorder) {
    long started = System.nanoTime();
    recorder.started(started);
    PipelineOptions options = pipeline.getOptions();
    MetricsEndpoint metrics;
    try {
      metrics = startMetricsEndpoint(options);
    } catch (IOException e) {
      err.println(
          "error: --metricsPort="
              + options.as(LaunchOptions.class).getMetricsPort()
              + ": cannot listen on that port ("
              + rootMessage(e)
              + "); pick a free one, e.g. --metricsPort=9400");
      recorder.ended("FAILED", null);
      return USAGE;
    }
    try (MetricsEndpoint closing = metrics) {
      return execute(pipeline, outputs, directories, recorder, started, metrics);
    }
  }

  /** The endpoint of {@code --metricsPort}, or null when it is not given. */
  private @Nullable MetricsEndpoint startMetricsEndpoint(PipelineOptions options)
      throws IOException {
    Integer port = options.as(LaunchOptions.class).getMetricsPort();
    if (port == null) {
      return null;
    }
    return RunnerProfiles.of(options).serveMetrics(options, port, err);
  }

  private int execute(
      Pipeline pipeline,
      List<String> outputs,
      Map<String, OutputDirectory> directories,
      RunRecorder recorder,
      long started,
      @Nullable MetricsEndpoint metrics) {
    PipelineOptions options = pipeline.getOptions();
    RunnerProfile profile = RunnerProfiles.of(options);
    PipelineResult result;
    try {
      result = PreparedRun.submit(pipeline);
    } catch (RuntimeException e) {
      recorder.ended("FAILED", null);
      throw e;
    }
    if (metrics != null) {
      metrics.follow(result);
    }
    SubmittedJob job = profile.submitted(options, result, err);
    lastRunnerJobId = job.id().orElse(null);
    // A detached Flink job's counters come from the cluster while it runs.
    Supplier<RunSummary> progress =
        () ->
            job.counters()
                .map(c -> RunSummary.of(c.streamfirst(), c.report(), started))
                .orElseGet(() -> RunSummary.of(result, started));
    boolean outlives = profile.outlivesLauncher(options);
    AtomicBoolean finished = new AtomicBoolean(false);
    Thread onInterrupt =
        new Thread(
            () -> {
              if (!finished.get()) {
                err.println();
                if (outlives) {
                  // A cluster or Dataflow job belongs to its service: leaving the launcher only
                  // stops following it.
                  err.println(progress.get().describe("Left running", outputs));
                  err.println(profile.stopHint(options));
                  return;
                }
                err.println(RunSummary.of(result, started).describe("Stopped", outputs));
                try {
                  result.cancel();
                } catch (Exception ignored) {
                  // The JVM is going down either way; the summary above is what matters.
                }
              }
            });
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    onStop =
        () -> {
          if (!outlives) {
            try {
              result.cancel();
            } catch (IOException | RuntimeException e) {
              err.println("error: the pipeline could not be cancelled: " + rootMessage(e));
            }
          }
        };
    try {
      PipelineResult.State state;
      long nextProgress = System.nanoTime() + PROGRESS_EVERY.getMillis() * 1_000_000L;
      long nextSample = System.nanoTime() + SAMPLE_EVERY.getMillis() * 1_000_000L;
      while (true) {
        state = result.waitUntilFinish(POLL_EVERY);
        if (state != null && state.isTerminal()) {
          break;
        }
        if (stopRequested.get() && outlives) {
          // A cluster or Dataflow job belongs to its service: leaving the launcher only stops
          // following it.
          finished.set(true);
          err.println();
          RunSummary left = progress.get();
          recorder.ended("LEFT_RUNNING", left);
          lastCounters = left.counters();
          lastStatus = "LEFT_RUNNING";
          err.println(left.describe("Left running", outputs));
          err.println(profile.stopHint(options));
          return OK;
        }
        if (System.nanoTime() >= nextSample) {
          // The report's series; the progress line reuses the sample when both are due.
          RunSummary sample = progress.get();
          recorder.sample(sample);
          nextSample += SAMPLE_EVERY.getMillis() * 1_000_000L;
          if (System.nanoTime() >= nextProgress) {
            err.println(sample.progressLine(outputs));
            nextProgress += PROGRESS_EVERY.getMillis() * 1_000_000L;
          }
        }
      }
      finished.set(true);
      RunSummary summary = RunSummary.of(result, started);
      lastCounters = summary.counters();
      lastStatus = stopRequested.get() ? "STOPPED" : state.name();
      if (stopRequested.get() && state == PipelineResult.State.CANCELLED) {
        recorder.ended("STOPPED", summary);
        return stopped(summary, directories, options);
      }
      recorder.ended(state.name(), summary);
      if (state != PipelineResult.State.DONE) {
        err.println("error: the pipeline ended " + state);
        err.println(summary.describe("Ended " + state, outputs));
        return FAILED;
      }
      err.println(summary.describe("Done", outputs));
      return OK;
    } catch (RuntimeException e) {
      finished.set(true);
      if (stopRequested.get()) {
        // DirectRunner's executor may refuse work already queued as the cancel shuts it down;
        // that is the stop the user asked for, not a failure.
        RunSummary summary = RunSummary.of(result, started);
        recorder.ended("STOPPED", summary);
        lastStatus = "STOPPED";
        return stopped(summary, directories, options);
      }
      recorder.ended("FAILED", RunSummary.of(result, started));
      lastStatus = "FAILED: " + rootMessage(e);
      err.println("error: the pipeline failed: " + rootMessage(e));
      return FAILED;
    } finally {
      onStop = null;
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException ignored) {
        // Already shutting down.
      }
    }
  }

  private int stopped(
      RunSummary summary, Map<String, OutputDirectory> directories, PipelineOptions options) {
    err.println();
    err.println(summary.describe("Stopped", List.of()));
    reportWritten(directories, options);
    return OK;
  }

  /**
   * After a stop: what the files hold, counted in them (rows still inside the pipeline when it was
   * cancelled never reach them), and the unfinished temporary files removed.
   */
  private void reportWritten(Map<String, OutputDirectory> directories, PipelineOptions options) {
    err.println("Written before the stop:");
    for (Map.Entry<String, OutputDirectory> e : directories.entrySet()) {
      OutputDirectory dir = e.getValue();
      try {
        dir.clearStaging();
        OutputDirectory.Written written = dir.written();
        err.printf(
            Locale.ROOT,
            "  --%s: %,d lines in %,d file%s under %s%n",
            e.getKey(),
            written.lines(),
            written.files(),
            written.files() == 1 ? "" : "s",
            dir.path());
      } catch (IOException ex) {
        err.println("  --" + e.getKey() + ": cannot read " + dir.path() + ": " + ex.getMessage());
      }
    }
    if (options instanceof SinkOptions sinks) {
      for (Map.Entry<String, String> sink :
          Map.of("sink", sinks.getSink(), "deadLetter", sinks.getDeadLetter()).entrySet()) {
        if (!directories.containsKey(sink.getKey())) {
          err.println(
              "  --"
                  + sink.getKey()
                  + "="
                  + Secrets.maskUri(sink.getValue())
                  + ": whatever it had received when the run was cancelled");
        }
      }
    }
  }

  /**
   * Translates a pipeline into its Dataflow job spec offline and writes it to a file: what would be
   * submitted, checked without a Google Cloud account.
   */
  private int dataflowSpec(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      err.println("error: dataflow-spec needs a pipeline, e.g. ./streamfirst dataflow-spec rollup");
      return USAGE;
    }
    Optional<PipelineDefinition<?>> found = PipelineCatalog.find(args[0]);
    if (found.isEmpty()) {
      err.println("error: unknown pipeline '" + args[0] + "'; see ./streamfirst list");
      return USAGE;
    }
    Path output = Path.of(System.getProperty("user.dir"), "out", args[0] + "-dataflow-job.json");
    List<String> flags = new ArrayList<>();
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      if (arg.startsWith("--output=")) {
        output = Path.of(arg.substring("--output=".length())).toAbsolutePath();
      } else {
        flags.add(arg);
      }
    }
    long started = System.nanoTime();
    try {
      JsonNode spec = DataflowSpecs.translate(found.get(), flags.toArray(new String[0]));
      Files.createDirectories(output.getParent());
      Files.writeString(output, spec.toPrettyString(), StandardCharsets.UTF_8);
      List<String> steps = JobSpecs.stepNames(spec);
      out.printf(
          Locale.ROOT,
          "Translated %s for Dataflow in %.1f s, offline (nothing submitted): %s job, %d steps%n",
          args[0],
          (System.nanoTime() - started) / 1e9,
          JobSpecs.isStreaming(spec) ? "streaming" : "batch",
          steps.size());
      out.println("  top-level steps: " + String.join(", ", JobSpecs.topLevelStepNames(spec)));
      out.println("  job spec → " + output);
      return OK;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (IOException | RuntimeException e) {
      err.println("error: the translation failed: " + rootMessage(e));
      return FAILED;
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + cause + ")";
  }

  private static boolean isHelp(String arg) {
    return List.of("help", "--help", "-h").contains(arg);
  }

  private static void usage(PrintStream to) {
    to.println("usage: ./streamfirst <command>");
    to.println();
    to.println("  run [pipeline] [--flags]   run a pipeline (default: rollup on a generated demo");
    to.println("                             input, DirectRunner, results in ./out/)");
    to.println("  run <pipeline> --help      every option of a pipeline");
    to.println("  list                       the pipelines");
    to.println("  dataflow-spec <pipeline> [--flags] [--output=file.json]");
    to.println("                             the Dataflow job spec, translated offline");
    to.println("  flink start|status|stop    a local Flink session cluster (web UI on :8081);");
    to.println("                             submit with --runner=FlinkRunner");
    to.println("                             --flinkMaster=localhost:8081");
    to.println("  flink start-taskmanager    a TaskManager in place of one that died; with");
    to.println("                             --jobManager=HOST:6123 --host=ADDR one that joins");
    to.println("                             a JobManager on another host (see flink help)");
    to.println("  flink resume <pipeline> [--checkpointDir=dir] [--flags]");
    to.println("                             run it from its newest retained checkpoint");
  }
}
