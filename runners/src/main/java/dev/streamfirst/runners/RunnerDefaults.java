package dev.streamfirst.runners;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What each runner needs from the launcher. Pipelines never see this: the runner stays an option.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  /** Applies defaults for the chosen runner, leaving alone every option the user gave. */
  static void apply(PipelineOptions options, String[] flags) {
    if (DirectRunner.class.equals(options.getRunner())) {
      DirectOptions direct = options.as(DirectOptions.class);
      // The launcher reports progress while the job runs, so it must not block in run().
      direct.setBlockOnRun(false);
      // The immutability and encodability checks catch bugs in user DoFns, which is what tests
      // are for (they keep them on); in a run they walk the pipeline graph for every bundle and
      // cost more than half of DirectRunner's time.
      if (!given(flags, "enforceImmutability")) {
        direct.setEnforceImmutability(false);
      }
      if (!given(flags, "enforceEncodability")) {
        direct.setEnforceEncodability(false);
      }
    }
  }

  private static boolean given(String[] flags, String option) {
    return Arrays.stream(flags)
        .anyMatch(f -> f.equals("--" + option) || f.startsWith("--" + option + "="));
  }
}
