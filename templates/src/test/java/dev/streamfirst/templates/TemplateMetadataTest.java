package dev.streamfirst.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.InvalidOptionsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.beam.model.jobmanagement.v1.JobApi.PipelineOptionDescriptor;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** Every pipeline's generated template metadata, checked against the options it comes from. */
public class TemplateMetadataTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path BUILT = Path.of("target", "templates");
  private static final Path DOCS = Path.of("..", "docs", "templates");
  private static final Set<String> PARAM_TYPES = Set.of("TEXT", "NUMBER", "BOOLEAN", "ENUM");

  /** A value for each parameter a launch must give; a new required one needs an example here. */
  private static final Map<String, String> REQUIRED_EXAMPLES =
      Map.of(
          "sink", "console:",
          "deadLetter", "console:",
          "alertSink", "console:",
          "reference", "file:///data/accounts.jsonl?key=account_id");

  @Test
  public void everyPipeline_hasMetadataWrittenByTheBuild_equalToWhatItsOptionsGive()
      throws IOException {
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      Path file = BUILT.resolve(TemplateFiles.metadataFileName(definition.name()));
      assertTrue("the build writes " + file, Files.exists(file));
      assertEquals(
          TemplateMetadata.of(definition).toJson(), Files.readString(file, StandardCharsets.UTF_8));
    }
  }

  @Test
  public void metadata_hasEveryFieldFlexNeeds_andRegexesCompile() throws IOException {
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      JsonNode root = JSON.readTree(TemplateMetadata.of(definition).toJson());
      assertThat(root.get("name").asText(), containsString(definition.name()));
      assertFalse(root.get("description").asText().isBlank());
      assertTrue(root.get("parameters").size() > 0);
      Set<String> names = new TreeSet<>();
      for (JsonNode p : root.get("parameters")) {
        for (String field : List.of("name", "label", "helpText", "isOptional", "paramType")) {
          assertTrue(definition.name() + " parameter lacks " + field + ": " + p, p.has(field));
        }
        String name = p.get("name").asText();
        assertTrue(name, name.matches("[a-z][A-Za-z0-9]*"));
        assertTrue(definition.name() + " declares " + name + " twice", names.add(name));
        assertFalse(name, p.get("label").asText().isBlank());
        assertFalse(name, p.get("helpText").asText().isBlank());
        assertTrue(name, p.get("isOptional").isBoolean());
        assertThat(PARAM_TYPES, hasItem(p.get("paramType").asText()));
        // An ENUM lists its values; no other type does.
        assertEquals(
            name, p.get("paramType").asText().equals("ENUM"), p.path("enumOptions").size() > 0);
        for (JsonNode option : p.path("enumOptions")) {
          assertFalse(name, option.path("value").asText().isEmpty());
        }
        for (JsonNode regex : p.path("regexes")) {
          Pattern.compile(regex.asText());
        }
      }
    }
  }

  @Test
  public void parameters_areExactlyThePipelinesOwnOptions() throws IOException {
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      Set<String> fromMetadata = new TreeSet<>();
      for (JsonNode p : JSON.readTree(TemplateMetadata.of(definition).toJson()).get("parameters")) {
        // Beam's descriptors name options in snake_case.
        fromMetadata.add(p.get("name").asText().replaceAll("([A-Z])", "_$1").toLowerCase());
      }
      // Beam's own reading of the options interface, independent of the generator's.
      Set<String> ownOptions = new TreeSet<>();
      for (PipelineOptionDescriptor option :
          PipelineOptionsFactory.describe(Set.of(definition.optionsClass()))) {
        if (option.getGroup().startsWith("dev.streamfirst.")) {
          ownOptions.add(option.getName());
        }
      }
      assertEquals(definition.name(), ownOptions, fromMetadata);
    }
  }

  @Test
  public void everyDefault_matchesItsRegex_andIsAcceptedByThePipeline() {
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      for (TemplateParameter p : TemplateMetadata.of(definition).parameters()) {
        if (p.defaultValue() == null) {
          continue;
        }
        for (String regex : p.regexes()) {
          assertTrue(p.name() + "=" + p.defaultValue(), p.defaultValue().matches(regex));
        }
        // The value passes Beam's parsing as a flag of this pipeline.
        PipelineOptionsFactory.fromArgs("--" + p.name() + "=" + p.defaultValue())
            .as(definition.optionsClass());
      }
    }
  }

  @Test
  public void enumValues_areEachAcceptedByTheirRegexAndThePipeline() {
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      for (TemplateParameter p : TemplateMetadata.of(definition).parameters()) {
        for (String value : p.enumValues()) {
          assertTrue(p.name() + "=" + value, value.matches(p.regexes().get(0)));
          PipelineOptionsFactory.fromArgs("--" + p.name() + "=" + value)
              .as(definition.optionsClass());
        }
      }
    }
  }

  @Test
  public void onlyTheRequiredParameters_makeALaunchThatBuilds() {
    // An optional parameter must be one the pipeline can do without: a launch that leaves out
    // every optional one still builds (on DirectRunner; the Dataflow one is TemplateJobSpecTest's).
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      List<String> flags = new ArrayList<>();
      for (TemplateParameter p : TemplateMetadata.of(definition).parameters()) {
        if (!p.isOptional()) {
          assertTrue(
              definition.name() + ": no example value for required " + p.name(),
              REQUIRED_EXAMPLES.containsKey(p.name()));
          flags.add("--" + p.name() + "=" + REQUIRED_EXAMPLES.get(p.name()));
        }
      }
      FlexTemplateMain.build(definition, "DirectRunner", flags.toArray(new String[0]));
    }
  }

  @Test
  public void requiredParameters_areTheOnesALaunchCannotDefault() {
    // Required: marked so, or defaulting to a path on the machine that launches (a launcher VM).
    TemplateMetadata transactions = TemplateMetadata.of(PipelineCatalog.find("transactions").get());
    TemplateMetadata rollup = TemplateMetadata.of(PipelineCatalog.find("rollup").get());
    assertFalse(parameter(transactions, "reference").isOptional());
    assertFalse(parameter(rollup, "sink").isOptional());
    assertFalse(parameter(rollup, "deadLetter").isOptional());
    // No default: the pipeline applies its own (window) or leaves the feature off (reference).
    for (String optional : List.of("window", "reference", "refreshEvery", "source")) {
      assertTrue(optional, parameter(rollup, optional).isOptional());
    }
  }

  @Test
  public void requiredParameters_offerNoDefault() {
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      for (TemplateParameter p : TemplateMetadata.of(definition).parameters()) {
        if (!p.isOptional()) {
          assertThat(
              definition.name() + "/" + p.name(), p.helpText(), not(containsString("Default:")));
        }
      }
    }
  }

  @Test
  public void regexes_refuseValuesThePipelineRefuses() {
    TemplateMetadata rollup = TemplateMetadata.of(PipelineCatalog.find("rollup").get());
    assertThat("fixd:1m", not(matchesParameter(rollup, "window")));
    assertThat("10 minutes", not(matchesParameter(rollup, "dedupTtl")));
    assertThat("SOMETIMES", not(matchesParameter(rollup, "dedupClock")));
    assertTrue("sliding:5m/1m".matches(parameter(rollup, "window").regexes().get(0)));
  }

  @Test
  public void regexes_takeWhatTheCommandLineTakes_andRefuseWhatItRefuses() {
    TemplateMetadata rollup = TemplateMetadata.of(PipelineCatalog.find("rollup").get());
    assertThat("FIXED:1m", matchesParameter(rollup, "window"));
    assertThat("discarding", matchesParameter(rollup, "panes"));
    assertThat("100", matchesParameter(rollup, "earlyFiringsEveryCount"));
    assertThat("-5", not(matchesParameter(rollup, "earlyFiringsEveryCount")));

    // A launch reads its parameters as the command line does.
    FlexTemplateMain.build(
        PipelineCatalog.find("rollup").get(),
        "DirectRunner",
        "--sink=console:",
        "--deadLetter=console:",
        "--window=FIXED:1m",
        "--panes=discarding");
    InvalidOptionsException refused =
        assertThrows(
            InvalidOptionsException.class,
            () ->
                FlexTemplateMain.build(
                    PipelineCatalog.find("rollup").get(),
                    "DirectRunner",
                    "--sink=console:",
                    "--deadLetter=console:",
                    "--earlyFiringsEveryCount=-5",
                    "--panes=discard"));
    assertThat(
        refused.getMessage(),
        containsString("--panes=discard: must be one of ACCUMULATING, DISCARDING"));
  }

  @Test
  public void docsPage_isTheGeneratedOne() throws IOException {
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      Path page = DOCS.resolve(definition.name() + ".md");
      String generated = TemplateDocs.page(TemplateMetadata.of(definition));
      assertTrue(
          "missing " + page + ": copy it from target/templates/" + definition.name() + ".md",
          Files.exists(page));
      assertEquals(
          page + " is out of date: copy target/templates/" + definition.name() + ".md over it",
          generated,
          Files.readString(page, StandardCharsets.UTF_8));
    }
  }

  private static TemplateParameter parameter(TemplateMetadata metadata, String name) {
    return metadata.parameters().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no parameter " + name));
  }

  private static org.hamcrest.Matcher<String> matchesParameter(
      TemplateMetadata metadata, String name) {
    String regex = parameter(metadata, name).regexes().get(0);
    return new org.hamcrest.TypeSafeMatcher<String>() {
      @Override
      protected boolean matchesSafely(String value) {
        return value.matches(regex);
      }

      @Override
      public void describeTo(org.hamcrest.Description description) {
        description.appendText("a value matching " + regex);
      }
    };
  }
}
