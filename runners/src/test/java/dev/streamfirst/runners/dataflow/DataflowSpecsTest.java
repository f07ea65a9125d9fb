package dev.streamfirst.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.dataflow.offline.JobSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.Test;

/**
 * Every pipeline in the catalog translates, offline, into a Dataflow job spec with the real
 * DataflowRunner: its steps are there under their stable names, an unbounded source makes a
 * streaming job on Streaming Engine, and translating twice gives the same step names (what
 * Dataflow's in-place update matches state by).
 */
public class DataflowSpecsTest {
  private static final String UNBOUNDED = "--source=generator://events?rate=100";
  private static final String ACCOUNTS = "file:///data/accounts.jsonl?key=account_id";
  private static final Map<String, JsonNode> SPECS = new HashMap<>();

  /** One translation per pipeline and flags, shared by the tests that only read it. */
  private static synchronized JsonNode spec(PipelineDefinition<?> pipeline, String... flags) {
    return SPECS.computeIfAbsent(
        pipeline.name() + " " + String.join(" ", flags), k -> translate(pipeline, flags));
  }

  private static JsonNode translate(PipelineDefinition<?> pipeline, String... flags) {
    try {
      return DataflowSpecs.translate(pipeline, withRequired(pipeline, flags));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  public void everyPipeline_translatesWithEachOfItsTopLevelSteps() {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      List<String> steps = JobSpecs.stepNames(spec(pipeline));
      assertFalse(pipeline.name() + " translated to no steps", steps.isEmpty());
      for (String topLevel : topLevelSteps(pipeline)) {
        assertTrue(
            pipeline.name() + ": no Dataflow step for " + topLevel + " in " + steps,
            steps.stream().anyMatch(s -> s.equals(topLevel) || s.startsWith(topLevel + "/")));
      }
    }
  }

  @Test
  public void everyPipeline_hasTheSameStepNamesWhenTranslatedAgain() {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      assertEquals(
          pipeline.name(),
          JobSpecs.stepNames(spec(pipeline)),
          JobSpecs.stepNames(translate(pipeline)));
    }
  }

  @Test
  public void unboundedSource_makesAStreamingJobOnStreamingEngine() {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      if (!SourceOptions.class.isAssignableFrom(pipeline.optionsClass())) {
        continue;
      }
      JsonNode spec = spec(pipeline, UNBOUNDED);
      assertTrue(pipeline.name() + " is not streaming", JobSpecs.isStreaming(spec));
      assertThat(experiments(spec), hasItem("enable_streaming_engine"));
      assertEquals(
          "THROUGHPUT_BASED",
          spec.path("environment")
              .path("sdkPipelineOptions")
              .path("options")
              .path("autoscalingAlgorithm")
              .asText());
    }
  }

  @Test
  public void boundedSource_makesABatchJob() {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      JsonNode spec = spec(pipeline);
      assertEquals(pipeline.name(), "JOB_TYPE_BATCH", spec.path("type").asText());
      assertThat(experiments(spec), not(hasItem("enable_streaming_engine")));
    }
  }

  @Test
  public void rollup_hasItsStepsUnderTheirStableNames() {
    PipelineDefinition<?> rollup = PipelineCatalog.find("rollup").orElseThrow();
    for (JsonNode spec : List.of(spec(rollup), spec(rollup, UNBOUNDED))) {
      List<String> steps = JobSpecs.stepNames(spec);
      for (String expected :
          List.of(
              "ReadEvents/",
              "Rollup/ParseEvents/",
              "Rollup/Dedup/",
              "Rollup/Dedup/DropDuplicates",
              "Rollup/Window/",
              "Rollup/Aggregate/",
              "RowsToJson/",
              "WriteRows/",
              "DeadLettersToJson/",
              "WriteDeadLetters/")) {
        assertTrue(
            "no step " + expected + "... in " + steps,
            steps.stream().anyMatch(s -> s.startsWith(expected)));
      }
    }
  }

  @Test
  public void flagsTheTranslationSetsItself_areRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DataflowSpecs.translate(
                    PipelineCatalog.find("rollup").orElseThrow(), "--runner=DirectRunner"));
    assertThat(e.getMessage(), containsString("--runner is set by the offline translation"));
  }

  /** {@code flags} and the options a pipeline cannot do without (transactions' reference). */
  private static String[] withRequired(PipelineDefinition<?> pipeline, String... flags) {
    List<String> all = new ArrayList<>(List.of(flags));
    if (pipeline.name().equals("transactions")) {
      all.add("--reference=" + ACCOUNTS);
    }
    return all.toArray(new String[0]);
  }

  private static List<String> experiments(JsonNode spec) {
    List<String> experiments = new ArrayList<>();
    spec.path("environment").path("experiments").forEach(e -> experiments.add(e.asText()));
    return experiments;
  }

  /** The pipeline's outermost steps, as it is built (on DirectRunner, before any override). */
  private static List<String> topLevelSteps(PipelineDefinition<?> definition) {
    Pipeline pipeline =
        PreparedRun.of(definition, withRequired(definition, "--runner=DirectRunner")).pipeline();
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode() && node.getEnclosingNode().isRootNode()) {
              names.add(node.getFullName());
              return CompositeBehavior.DO_NOT_ENTER_TRANSFORM;
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getEnclosingNode().isRootNode()) {
              names.add(node.getFullName());
            }
          }
        });
    return names;
  }
}
