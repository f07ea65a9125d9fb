package dev.streamfirst.runners.dataflow.offline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Dataflow job spec, as {@link OfflineTranslation} gives it.
 *
 * <pre>{@code
 * JobSpecs.isStreaming(spec); // true for JOB_TYPE_STREAMING
 * JobSpecs.topLevelStepNames(spec); // [ReadEvents, Rollup, RowsToJson, WriteRows, ...]
 * JobSpecs.pipelineOptions(spec).path("window").asText(); // sliding:5m/1m
 * }</pre>
 */
public final class JobSpecs {
  private JobSpecs() {}

  /**
   * The steps' names as the user sees them ({@code user_name}), e.g. {@code
   * Rollup/Dedup/DropDuplicates}, in the spec's order.
   */
  public static List<String> stepNames(JsonNode spec) {
    List<String> names = new ArrayList<>();
    for (JsonNode step : spec.path("steps")) {
      JsonNode name = step.path("properties").path("user_name");
      // Spec values are typed objects: {"@type": "http://schema.org/Text", "value": "..."}.
      names.add(name.isObject() ? name.path("value").asText() : name.asText());
    }
    return names;
  }

  /**
   * The outermost transforms the steps belong to ({@code Rollup} for {@code Rollup/Dedup/...}),
   * each once, in the spec's order.
   */
  public static List<String> topLevelStepNames(JsonNode spec) {
    return stepNames(spec).stream().map(s -> s.split("/", 2)[0]).distinct().toList();
  }

  /** Whether the spec is for a streaming job. */
  public static boolean isStreaming(JsonNode spec) {
    return "JOB_TYPE_STREAMING".equals(spec.path("type").asText());
  }

  /**
   * The pipeline options the job runs with, by name ({@code window}, {@code streaming}, ...): the
   * spec carries every option that was set, the pipeline's own among them.
   */
  public static JsonNode pipelineOptions(JsonNode spec) {
    return spec.path("environment").path("sdkPipelineOptions").path("options");
  }
}
