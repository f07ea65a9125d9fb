package dev.streamfirst.runners;

import dev.streamfirst.runners.dataflow.DataflowProfile;
import dev.streamfirst.runners.direct.DirectProfile;
import dev.streamfirst.runners.flink.FlinkProfile;
import dev.streamfirst.runners.portable.PortableProfile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The profile of each runner the launcher knows, by the runner's class name. A new runner is a
 * package with its {@link RunnerProfile} and one line here.
 *
 * <pre>{@code
 * RunnerProfiles.of(options).beforeBuild(options, given);
 * }</pre>
 */
public final class RunnerProfiles {
  private static final RunnerProfile NONE = new RunnerProfile() {};

  // In the order --help offers them.
  private static final Map<String, RunnerProfile> BY_RUNNER = new LinkedHashMap<>();

  static {
    BY_RUNNER.put(DirectRunner.class.getName(), new DirectProfile());
    BY_RUNNER.put(FlinkRunner.class.getName(), new FlinkProfile());
    BY_RUNNER.put(DataflowRunner.class.getName(), new DataflowProfile());
    BY_RUNNER.put(PortableProfile.RUNNER, new PortableProfile());
  }

  private RunnerProfiles() {}

  /**
   * The profile of {@code runner}; for a runner the launcher does not know, one that sets nothing.
   */
  public static RunnerProfile of(Class<?> runner) {
    return BY_RUNNER.getOrDefault(runner.getName(), NONE);
  }

  /** Every profile by its runner's class name, Direct first. */
  public static Map<String, RunnerProfile> all() {
    return Collections.unmodifiableMap(BY_RUNNER);
  }

  /** The profile of the runner {@code options} name. */
  public static RunnerProfile of(PipelineOptions options) {
    return of(options.getRunner());
  }
}
