package dev.streamfirst.runners.portable;

import dev.streamfirst.runners.PlannedRun;
import dev.streamfirst.runners.RunnerProfile;
import java.util.List;
import org.apache.beam.sdk.options.PortablePipelineOptions;

/**
 * Beam's PortableRunner, which submits to a job server (a Flink job server, Dataflow Runner v2's Fn
 * API path). The launcher does not ship it; tests and tools that do may use it, so it is known by
 * name.
 */
public final class PortableProfile implements RunnerProfile {
  /** The runner's class name. */
  public static final String RUNNER = "org.apache.beam.runners.portability.PortableRunner";

  @Override
  public List<String> problems(PlannedRun run) {
    return needsAJobServer(run);
  }

  /** PortableRunner only submits: without a job server's address it has nowhere to send the job. */
  public static List<String> needsAJobServer(PlannedRun run) {
    String endpoint = run.options().as(PortablePipelineOptions.class).getJobEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      return List.of(
          "--runner=PortableRunner: it submits the job to a job server and none was named; add"
              + " --jobEndpoint=host:port of a running job server (e.g. a Flink job server's job"
              + " port), or run with --runner=FlinkRunner");
    }
    return List.of();
  }
}
