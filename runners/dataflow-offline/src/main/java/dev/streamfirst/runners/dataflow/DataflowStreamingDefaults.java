package dev.streamfirst.runners.dataflow;

import java.util.Set;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.options.DataflowPipelineWorkerPoolOptions.AutoscalingAlgorithmType;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;

/**
 * What a Dataflow streaming job gets unless the user says otherwise: Streaming Engine (state and
 * shuffle in the service, so workers scale in and out quickly and updates are faster) and
 * throughput-based autoscaling. The launcher and the Flex templates apply the same defaults, so a
 * job behaves the same however it was started.
 *
 * <pre>{@code
 * DataflowStreamingDefaults.applyTo(pipeline, givenOptionNames);
 * }</pre>
 */
public final class DataflowStreamingDefaults {
  private DataflowStreamingDefaults() {}

  /**
   * If {@code pipeline} has an unbounded collection (a streaming job), marks its options as
   * streaming and sets the defaults among them that are not in {@code given} (option names as on
   * the command line, e.g. {@code enableStreamingEngine}).
   */
  public static void applyTo(Pipeline pipeline, Set<String> given) {
    if (isUnbounded(pipeline)) {
      applyTo(pipeline.getOptions().as(DataflowPipelineOptions.class), given);
    }
  }

  /** Sets the streaming defaults on options already known to be for a streaming job. */
  public static void applyTo(DataflowPipelineOptions dataflow, Set<String> given) {
    dataflow.setStreaming(true);
    if (!given.contains("enableStreamingEngine")) {
      dataflow.setEnableStreamingEngine(true);
    }
    if (!given.contains("autoscalingAlgorithm")) {
      dataflow.setAutoscalingAlgorithm(AutoscalingAlgorithmType.THROUGHPUT_BASED);
    }
  }

  private static boolean isUnbounded(Pipeline pipeline) {
    boolean[] unbounded = {false};
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection
                && ((PCollection<?>) value).isBounded() == PCollection.IsBounded.UNBOUNDED) {
              unbounded[0] = true;
            }
          }
        });
    return unbounded[0];
  }
}
