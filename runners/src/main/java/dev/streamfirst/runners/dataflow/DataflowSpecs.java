package dev.streamfirst.runners.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.dataflow.offline.JobSpecs;
import dev.streamfirst.runners.dataflow.offline.OfflineTranslation;
import java.io.IOException;

/**
 * Translates a pipeline into the job spec Dataflow would run, offline, built the way the launcher
 * builds it for {@code --runner=DataflowRunner} (its defaults and checks included). The real
 * DataflowRunner does the translation ({@link OfflineTranslation}); read the spec with {@link
 * JobSpecs}.
 *
 * <pre>{@code
 * JsonNode spec = DataflowSpecs.translate(PipelineCatalog.find("rollup").get(),
 *     "--source=generator://events?rate=100");
 * JobSpecs.isStreaming(spec); // true
 * JobSpecs.stepNames(spec); // [ReadEvents/..., Rollup/ParseEvents/..., ..., WriteRows/...]
 * }</pre>
 */
public final class DataflowSpecs {
  private DataflowSpecs() {}

  /**
   * The Dataflow job spec of {@code definition} built from {@code flags} (the pipeline's own, and
   * any Dataflow option such as {@code --region} or {@code --enableStreamingEngine}).
   *
   * @throws IOException if the spec cannot be written or read back
   */
  public static JsonNode translate(PipelineDefinition<?> definition, String... flags)
      throws IOException {
    // The options class lives in the bundled jar when the launcher runs from it, so that jar is
    // what the spec stages.
    return OfflineTranslation.translate(
        all -> PreparedRun.of(definition, all).pipeline(), definition.optionsClass(), flags);
  }
}
