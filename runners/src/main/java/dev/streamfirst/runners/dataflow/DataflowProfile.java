package dev.streamfirst.runners.dataflow;

import dev.streamfirst.runners.PlannedRun;
import dev.streamfirst.runners.RunnerProfile;
import dev.streamfirst.runners.SubmittedJob;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.dataflow.DataflowPipelineJob;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.options.DataflowPipelineWorkerPoolOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * DataflowRunner: the job runs in the service and outlives the launcher; a streaming job gets
 * {@link DataflowStreamingDefaults} (Streaming Engine, throughput-based autoscaling), as a Flex
 * template's does. Its workers do not see the launcher's files, and it reports metrics to Cloud
 * Monitoring.
 */
public final class DataflowProfile implements RunnerProfile {
  @Override
  public void forPipeline(PlannedRun run) {
    if (run.streaming()) {
      DataflowStreamingDefaults.applyTo(
          run.options().as(DataflowPipelineOptions.class), run.givenOptions());
    }
  }

  @Override
  public List<String> problems(PlannedRun run) {
    return updateNeedsStreaming(run);
  }

  /** Dataflow can replace a running job in place only when it is a streaming job. */
  public static List<String> updateNeedsStreaming(PlannedRun run) {
    if (run.options().as(DataflowPipelineOptions.class).isUpdate() && !run.streaming()) {
      return List.of(
          run.flag("update")
              + ": Dataflow updates only streaming jobs in place, and this pipeline's sources are"
              + " all bounded (a batch job); drop --update and start a new job");
    }
    return List.of();
  }

  @Override
  public List<String> metricsPortProblems(PlannedRun run, int port) {
    return List.of(
        "--metricsPort="
            + port
            + ": a Dataflow job reports its metrics to Cloud Monitoring; drop --metricsPort");
  }

  /** Dataflow keeps a step's input stable, as KafkaIO's exactly-once sink needs. */
  @Override
  public List<String> exactlyOnceKafkaSinkProblems(PlannedRun run, String sink) {
    return List.of();
  }

  @Override
  public boolean usesLocalFiles() {
    return false;
  }

  @Override
  public SubmittedJob submitted(PipelineOptions options, PipelineResult result, PrintStream log) {
    Optional<String> id =
        result instanceof DataflowPipelineJob job
            ? Optional.ofNullable(job.getJobId())
            : Optional.empty();
    return () -> id;
  }

  @Override
  public List<Class<? extends PipelineOptions>> helpOptions() {
    return List.of(DataflowPipelineOptions.class, DataflowPipelineWorkerPoolOptions.class);
  }

  @Override
  public boolean outlivesLauncher(PipelineOptions options) {
    return true;
  }
}
