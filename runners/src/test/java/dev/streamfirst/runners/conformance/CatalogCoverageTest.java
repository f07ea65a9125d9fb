package dev.streamfirst.runners.conformance;

import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.runners.PreparedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * What a pipeline needs besides its folder and its catalog line, checked for every catalogued one:
 * conformance cases over the crafted files and over the generator whose flags build, a section in
 * the README, and a generated Flex template page under {@code docs/templates/} (templates/ checks
 * that page, and the metadata it shows, against the pipeline's options).
 */
public class CatalogCoverageTest {
  private static final Path ROOT = Path.of("..");

  @Test
  public void everyCataloguedPipeline_hasConformanceCasesOverFilesAndGenerator_thatBuild() {
    List<ConformanceCase> cases = ConformanceCase.all();
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      List<ConformanceCase> own =
          cases.stream().filter(c -> c.pipeline().name().equals(pipeline.name())).toList();
      assertTrue(
          pipeline.name() + " needs a conformance case over the crafted files",
          own.stream().anyMatch(ConformanceCase::bounded));
      assertTrue(
          pipeline.name() + " needs a conformance case over the generator",
          own.stream().anyMatch(c -> !c.bounded()));
      for (ConformanceCase c : own) {
        // Building checks every option: a pipeline with a required one of its own needs that
        // flag in ConformanceCase.requiredFlags, or this throws naming it.
        PreparedRun.of(pipeline, flags(c).toArray(new String[0]));
      }
    }
  }

  @Test
  public void everyCataloguedPipeline_hasAReadmeSection_andATemplatePage() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      String heading = "^#{2,3} The " + Pattern.quote(pipeline.name()) + " pipeline$";
      assertTrue(
          "README.md needs a section '## The " + pipeline.name() + " pipeline'",
          Pattern.compile(heading, Pattern.MULTILINE).matcher(readme).find());
      Path page = ROOT.resolve("docs").resolve("templates").resolve(pipeline.name() + ".md");
      assertTrue(
          page
              + " is missing: build templates/ and copy templates/target/templates/"
              + pipeline.name()
              + ".md",
          Files.isRegularFile(page));
    }
  }

  private static List<String> flags(ConformanceCase c) {
    Path out = ConformanceCase.workDir().resolve("coverage").resolve(c.slug());
    List<String> flags = new ArrayList<>(c.flags());
    flags.add("--runner=DirectRunner");
    flags.add("--sink=file://" + out.resolve("rows"));
    flags.add("--deadLetter=file://" + out.resolve("dead-letters"));
    if (AlertOptions.class.isAssignableFrom(c.pipeline().optionsClass())) {
      flags.add("--alertSink=file://" + out.resolve("alerts"));
    }
    return flags;
  }
}
