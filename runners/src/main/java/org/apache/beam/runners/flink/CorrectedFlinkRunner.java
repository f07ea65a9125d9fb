package org.apache.beam.runners.flink;

import dev.streamfirst.runners.flink.FlinkNetworkOptions;
import dev.streamfirst.runners.flink.fixes.FlinkStreamingFixes;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsValidator;
import org.apache.beam.sdk.util.construction.SplittableParDo;
import org.apache.beam.sdk.util.construction.graph.ProjectionPushdownOptimizer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beam's {@link FlinkRunner}, with {@link FlinkStreamingFixes} applied to the translated job before
 * it is submitted, and, in streaming, the network buffer timeout of {@link FlinkNetworkOptions}
 * (Beam offers no option for it). The launcher runs every {@code --runner=FlinkRunner} job through
 * it.
 *
 * <p>In Beam's package because the translation environment it must reach between translating and
 * submitting is package-private. Delete it, and let the launcher use {@link FlinkRunner}, once the
 * project's Beam version has the corrections.
 */
public class CorrectedFlinkRunner extends FlinkRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CorrectedFlinkRunner.class);

  private final FlinkPipelineOptions options;

  protected CorrectedFlinkRunner(FlinkPipelineOptions options) {
    super(options);
    this.options = options;
  }

  /** Called by {@link org.apache.beam.sdk.PipelineRunner#fromOptions}. */
  public static CorrectedFlinkRunner fromOptions(PipelineOptions options) {
    return new CorrectedFlinkRunner(
        PipelineOptionsValidator.validate(FlinkPipelineOptions.class, options));
  }

  @Override
  public PipelineResult run(Pipeline pipeline) {
    // The same preparation as FlinkRunner's own run().
    if (!ExperimentalOptions.hasExperiment(options, "beam_fn_api")) {
      SplittableParDo.convertReadBasedSplittableDoFnsToPrimitiveReadsIfNecessary(pipeline);
    }
    if (!ExperimentalOptions.hasExperiment(options, "disable_projection_pushdown")) {
      ProjectionPushdownOptimizer.optimize(pipeline);
    }
    MetricsEnvironment.setMetricsSupported(true);

    FlinkPipelineExecutionEnvironment env = new FlinkPipelineExecutionEnvironment(options);
    env.translate(pipeline);
    StreamExecutionEnvironment streaming = env.getStreamExecutionEnvironment();
    if (streaming != null) {
      if (options.isStreaming()) {
        long timeout = options.as(FlinkNetworkOptions.class).getNetworkBufferTimeoutMs();
        if (timeout < 0) {
          throw new IllegalArgumentException(
              "--networkBufferTimeoutMs must be 0 or more, got " + timeout + "; e.g. 10");
        }
        streaming.setBufferTimeout(timeout);
      }
      FlinkStreamingFixes.Applied applied = FlinkStreamingFixes.applyTo(streaming);
      LOG.info(
          "Corrected {} Beam steps (watermark after each bundle), {} sources (resume on restore)"
              + " and {} impulses (same operator id at every parallelism)",
          applied.operators(),
          applied.sources(),
          applied.impulses());
    }
    try {
      return env.executePipeline();
    } catch (Exception e) {
      throw new RuntimeException("Pipeline execution failed", e);
    }
  }
}
