package dev.streamfirst.runners.direct;

import dev.streamfirst.runners.PlannedRun;
import dev.streamfirst.runners.RunnerProfile;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * DirectRunner: runs in the launcher's JVM, so Ctrl-C cancels it. The launcher reports progress, so
 * {@code run()} does not block, and the immutability and encodability checks are off unless asked
 * for (tests keep them on).
 */
public final class DirectProfile implements RunnerProfile {
  @Override
  public void beforeBuild(PipelineOptions options, Set<String> given) {
    DirectOptions direct = options.as(DirectOptions.class);
    // The launcher reports progress while the job runs, so it must not block in run().
    direct.setBlockOnRun(false);
    // The immutability and encodability checks catch bugs in user DoFns, which is what tests are
    // for (they keep them on); in a run they walk the pipeline graph for every bundle and cost
    // more than half of DirectRunner's time.
    if (!given.contains("enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given.contains("enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
  }

  @Override
  public List<Class<? extends PipelineOptions>> helpOptions() {
    return List.of(DirectOptions.class);
  }

  /** DirectRunner never retries a bundle, so the sink's input is stable. */
  @Override
  public List<String> exactlyOnceKafkaSinkProblems(PlannedRun run, String sink) {
    return List.of();
  }
}
