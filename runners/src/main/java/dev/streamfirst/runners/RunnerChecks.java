package dev.streamfirst.runners;

import dev.streamfirst.runners.dataflow.DataflowProfile;
import dev.streamfirst.runners.portable.PortableProfile;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The checks every run goes through before it is submitted, and how to run them.
 *
 * <pre>{@code
 * RunnerChecks.standard().verify(PlannedRun.of(pipeline, flags)); // throws, listing each problem
 * RunnerChecks.standard().with(myCheck).verify(run);
 * }</pre>
 */
public final class RunnerChecks {
  private static final String FLINK_RUNNERS = "org.apache.beam.runners.flink";
  private static final String DATAFLOW_RUNNERS = "org.apache.beam.runners.dataflow";
  private static final String DIRECT_RUNNER = "org.apache.beam.runners.direct";

  private final List<RunnerCheck> checks;

  private RunnerChecks(List<RunnerCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The checks Streamfirst runs before every launch. */
  public static RunnerChecks standard() {
    return new RunnerChecks(
        List.of(
            RunnerChecks::optionsOfAnotherRunner,
            run -> RunnerProfiles.of(run.runner()).problems(run),
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
    return RunnerProfiles.of(run.runner()).metricsPortProblems(run, port);
  }

  /**
   * Options that belong to one runner are silently ignored by the others. PortableRunner hands
   * every option to its job server, and a Flink job server reads Flink's ({@code --parallelism},
   * {@code --checkpointingInterval}, ...), so those pass there.
   */
  static List<String> optionsOfAnotherRunner(PlannedRun run) {
    String runnerPackage = run.runner().getPackageName();
    boolean portable = PortableProfile.RUNNER.equals(run.runner().getName());
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
    return RunnerProfiles.of(run.runner()) instanceof PortableProfile
        ? PortableProfile.needsAJobServer(run)
        : List.of();
  }

  /** Dataflow can replace a running job in place only when it is a streaming job. */
  static List<String> dataflowUpdateNeedsStreaming(PlannedRun run) {
    return RunnerProfiles.of(run.runner()) instanceof DataflowProfile
        ? DataflowProfile.updateNeedsStreaming(run)
        : List.of();
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
}
