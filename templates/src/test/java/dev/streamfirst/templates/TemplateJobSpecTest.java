package dev.streamfirst.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.WindowOptions;
import dev.streamfirst.runners.dataflow.offline.JobSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every template's launch, translated offline by the real DataflowRunner from the {@code
 * --parameters} string a user would give gcloud — with values holding commas (so the {@code ^~^}
 * delimiter), {@code =}, spaces and quotes — into the job Dataflow would run.
 */
public class TemplateJobSpecTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /**
   * Each template's outermost steps, by the names Dataflow's in-place update matches state by: a
   * rename here breaks every running job's update.
   */
  private static final Map<String, List<String>> TOP_LEVEL_STEPS =
      Map.of(
          "rollup",
          List.of(
              "ReadEvents",
              "Rollup",
              "RowsToJson",
              "WriteRows",
              "DeadLettersToJson",
              "WriteDeadLetters"),
          "sensors",
          List.of(
              "ReadEvents",
              "Sensors",
              "RowsToJson",
              "WriteRows",
              "AlertsToJson",
              "WriteAlerts",
              "DeadLettersToJson",
              "WriteDeadLetters"),
          "sessions",
          List.of(
              "ReadEvents",
              "Sessions",
              "SessionsToJson",
              "WriteSessions",
              "DeadLettersToJson",
              "WriteDeadLetters"),
          "transactions",
          List.of(
              "ReadTransactions",
              "Transactions",
              "AlertsToJson",
              "WriteAlerts",
              "DeadLettersToJson",
              "WriteDeadLetters"));

  private static final String KEY_FIELD = "site \"name\", v=1";
  private static final String GENERATOR = "generator://events?rate=100&keys=7";
  private static final String SUBSCRIPTION =
      "pubsub://projects/streamfirst-offline/subscriptions/events-in";
  private static final Map<String, JsonNode> SPECS = new HashMap<>();

  private static String files;
  private static Path out;
  private static String reference;

  @BeforeClass
  public static void createInputs() throws IOException {
    Path in = Files.createDirectories(TMP.getRoot().toPath().resolve("in put, \"2026\""));
    Files.writeString(
        in.resolve("events.jsonl"),
        "{\"id\":\"a\",\"site \\\"name\\\", v=1\":\"north\",\"ts\":0,\"value\":1}\n",
        StandardCharsets.UTF_8);
    files = "file://" + in + "/*.jsonl";
    out = Files.createDirectories(TMP.getRoot().toPath().resolve("out, \"q\" = 1"));
    Path accounts = in.resolve("accounts, \"eu\".jsonl");
    Files.writeString(
        accounts, "{\"account_id\":\"north\",\"usual_amount\":5}\n", StandardCharsets.UTF_8);
    reference = "file://" + accounts + "?key=account_id";
  }

  @Test
  public void everyPipeline_hasItsStableTopLevelSteps_inBatchAndStreaming() {
    assertEquals(
        "every pipeline in the catalog has its step names listed here",
        names(PipelineCatalog.all()),
        new TreeSet<>(TOP_LEVEL_STEPS.keySet()));
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      for (String source : List.of(files, GENERATOR, SUBSCRIPTION)) {
        assertEquals(
            pipeline.name() + " from " + source,
            TOP_LEVEL_STEPS.get(pipeline.name()),
            JobSpecs.topLevelStepNames(spec(pipeline, source)));
      }
    }
  }

  @Test
  public void boundedSource_makesABatchJob() {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      JsonNode spec = spec(pipeline, files);
      assertFalse(pipeline.name(), JobSpecs.isStreaming(spec));
      assertFalse(
          pipeline.name(),
          JobSpecs.pipelineOptions(spec).path("enableStreamingEngine").asBoolean());
    }
  }

  @Test
  public void unboundedSource_makesAStreamingJob_onStreamingEngine() {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      for (String source : List.of(GENERATOR, SUBSCRIPTION)) {
        JsonNode spec = spec(pipeline, source);
        assertTrue(pipeline.name() + " from " + source, JobSpecs.isStreaming(spec));
        // The launcher's defaults for a streaming job, so a template job runs the same way.
        JsonNode options = JobSpecs.pipelineOptions(spec);
        assertTrue(pipeline.name(), options.path("enableStreamingEngine").asBoolean());
        assertEquals(
            pipeline.name(), "THROUGHPUT_BASED", options.path("autoscalingAlgorithm").asText());
      }
    }
  }

  @Test
  public void parameterValues_arriveInTheJobsOptionsIntact() {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      for (String source : List.of(files, GENERATOR)) {
        JsonNode options = JobSpecs.pipelineOptions(spec(pipeline, source));
        parameters(pipeline, source)
            .forEach(
                (name, value) ->
                    assertEquals(
                        pipeline.name() + " --" + name, value, options.path(name).asText()));
      }
    }
  }

  @Test
  public void launchParameters_passTheTemplatesOwnChecks() {
    // What Dataflow checks against the metadata before it starts the launcher: every name is a
    // parameter, every value matches its regexes, no required parameter is left out.
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      Map<String, TemplateParameter> declared =
          TemplateMetadata.of(pipeline).parameters().stream()
              .collect(Collectors.toMap(TemplateParameter::name, p -> p));
      Map<String, String> given = parameters(pipeline, files);
      given.forEach(
          (name, value) -> {
            assertTrue(pipeline.name() + ": no parameter " + name, declared.containsKey(name));
            for (String regex : declared.get(name).regexes()) {
              assertTrue(pipeline.name() + " --" + name + "=" + value, value.matches(regex));
            }
          });
      declared.values().stream()
          .filter(p -> !p.isOptional())
          .forEach(
              p ->
                  assertTrue(
                      pipeline.name() + ": required " + p.name() + " not given",
                      given.containsKey(p.name())));
    }
  }

  @Test
  public void badParameter_isRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemplateJobSpec.translate(
                    "rollup", "--parameters=window=fixd:1m,sink=console:,deadLetter=console:"));
    assertThat(e.getMessage(), containsString("--window=fixd:1m"));
  }

  @Test
  public void flagTheTranslationSetsItself_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemplateJobSpec.translate(
                    "rollup", "--parameters=sink=console:,deadLetter=console:", "--runner=X"));
    assertThat(e.getMessage(), containsString("--runner is set by the offline translation"));
  }

  /** The parameters of a launch from {@code source}, as a user writes them for gcloud. */
  private static Map<String, String> parameters(PipelineDefinition<?> pipeline, String source) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("source", source);
    parameters.put("sink", "file://" + out + "/rows");
    parameters.put("deadLetter", "file://" + out + "/dead letters");
    parameters.put("keyField", KEY_FIELD);
    if (WindowOptions.class.isAssignableFrom(pipeline.optionsClass())) {
      parameters.put("window", "sliding:5m/1m");
    }
    if (AlertOptions.class.isAssignableFrom(pipeline.optionsClass())) {
      parameters.put("alertSink", "file://" + out + "/alerts");
    }
    boolean needsReference =
        TemplateMetadata.of(pipeline).parameters().stream()
            .anyMatch(p -> p.name().equals("reference") && !p.isOptional());
    if (needsReference) {
      parameters.put("reference", reference);
    }
    return parameters;
  }

  /** {@code ^~^name=value~name=value}: gcloud's form when values hold commas. */
  private static String gcloud(Map<String, String> parameters) {
    return "^~^"
        + parameters.entrySet().stream()
            .map(p -> p.getKey() + "=" + p.getValue())
            .collect(Collectors.joining("~"));
  }

  /** One translation per pipeline and source, shared by the tests that only read it. */
  private static synchronized JsonNode spec(PipelineDefinition<?> pipeline, String source) {
    return SPECS.computeIfAbsent(
        pipeline.name() + " " + source,
        k -> {
          try {
            return TemplateJobSpec.translate(
                pipeline.name(), "--parameters=" + gcloud(parameters(pipeline, source)));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static Set<String> names(List<PipelineDefinition<?>> pipelines) {
    return pipelines.stream()
        .map(PipelineDefinition::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
