package dev.streamfirst.runners.dataflow.offline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Test;

/** A small pipeline translated by the real DataflowRunner, offline. */
public class OfflineTranslationTest {
  /** The options of the pipeline under translation. */
  public interface LabelOptions extends PipelineOptions {
    @Description("Text added to every element.")
    String getLabel();

    void setLabel(String label);

    @Description("Read an unbounded sequence instead of a fixed list.")
    boolean isUnbounded();

    void setUnbounded(boolean unbounded);
  }

  private static Pipeline build(String[] flags) {
    LabelOptions options = PipelineOptionsFactory.fromArgs(flags).as(LabelOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<Long> numbers =
        options.isUnbounded()
            ? pipeline.apply(
                "ReadNumbers", GenerateSequence.from(0).withRate(10, Duration.standardSeconds(1)))
            : pipeline.apply("ReadNumbers", Create.of(1L, 2L));
    String label = options.getLabel();
    numbers.apply("Label", MapElements.into(TypeDescriptors.strings()).via((Long n) -> label + n));
    return pipeline;
  }

  private static JsonNode translate(String... flags) throws IOException {
    return OfflineTranslation.translate(
        OfflineTranslationTest::build, OfflineTranslationTest.class, flags);
  }

  @Test
  public void boundedPipeline_isABatchJobWithItsSteps() throws IOException {
    JsonNode spec = translate("--label=x");
    assertFalse(JobSpecs.isStreaming(spec));
    assertEquals(List.of("ReadNumbers", "Label"), JobSpecs.topLevelStepNames(spec));
    assertTrue(JobSpecs.stepNames(spec).stream().anyMatch(s -> s.startsWith("Label/")));
  }

  @Test
  public void unboundedSource_isAStreamingJob_withoutBeingAskedTo() throws IOException {
    assertTrue(JobSpecs.isStreaming(translate("--unbounded=true")));
  }

  @Test
  public void optionValues_arriveInTheSpecIntact() throws IOException {
    String label = "a, \"b\" = c";
    JsonNode options = JobSpecs.pipelineOptions(translate("--label=" + label));
    assertEquals(label, options.path("label").asText());
    assertEquals(OfflineTranslation.OFFLINE_PROJECT, options.path("project").asText());
  }

  @Test
  public void givenProjectAndRegion_areKept() throws IOException {
    JsonNode options =
        JobSpecs.pipelineOptions(translate("--project=my-project-1", "--region=europe-west1"));
    assertEquals("my-project-1", options.path("project").asText());
    assertEquals("europe-west1", options.path("region").asText());
  }

  @Test
  public void stagedFile_isTheCodeOfTheGivenClass_namedUnderTheStagingLocation()
      throws IOException {
    JsonNode spec = translate();
    assertThat(
        JobSpecs.pipelineOptions(spec).path("filesToStage").path(0).asText(),
        endsWith("test-classes"));
    assertThat(
        spec.path("environment")
            .path("workerPools")
            .path(0)
            .path("packages")
            .path(0)
            .path("location")
            .asText(),
        startsWith("gs://streamfirst-offline/staging/test-classes"));
  }

  @Test
  public void flagsTheTranslationSetsItself_areRefused() {
    for (String reserved : OfflineTranslation.RESERVED) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> translate("--" + reserved + "=x"));
      assertThat(e.getMessage(), containsString("--" + reserved + " is set by the offline"));
    }
  }
}
