package dev.streamfirst.templates;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.CommandLineFlags;
import dev.streamfirst.runners.dataflow.DataflowStreamingDefaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The main class of every Streamfirst Flex template image. The Flex launcher calls it with the
 * template's parameters and Dataflow's own options as {@code --name=value} flags; which pipeline to
 * build comes from the image's {@code STREAMFIRST_PIPELINE} environment variable, so one jar serves
 * every template.
 */
public final class FlexTemplateMain {
  /** The environment variable that names the pipeline of an image. */
  public static final String PIPELINE_ENV = "STREAMFIRST_PIPELINE";

  private FlexTemplateMain() {}

  public static void main(String[] args) {
    // The launcher only submits: the Dataflow job runs on after this process exits.
    build(definition(System.getenv(PIPELINE_ENV)), "DataflowRunner", args).run();
  }

  /**
   * The pipeline as a template launch builds it: {@code flags} (the template's parameters and
   * Dataflow's options) parsed and validated as {@code definition}'s options, on {@code
   * defaultRunner} unless a runner is among them. A local launch and the offline translation build
   * it here too, so they check what Dataflow would run.
   */
  static Pipeline build(PipelineDefinition<?> definition, String defaultRunner, String... flags) {
    // Read as the command line reads them: named values in any case, unknown or repeated flags
    // told in words.
    String[] normalized = CommandLineFlags.of(definition.optionsClass()).normalize(flags);
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(withDefaultRunner(normalized, defaultRunner))
            .withValidation()
            .as(definition.optionsClass());
    Pipeline pipeline = definition.create(options);
    if (DataflowRunner.class.equals(options.getRunner())) {
      DataflowStreamingDefaults.applyTo(pipeline, givenOptionNames(flags));
    }
    return pipeline;
  }

  /** {@code --a=1 --b} gives {@code a, b}. */
  private static Set<String> givenOptionNames(String... flags) {
    Set<String> names = new HashSet<>();
    for (String flag : flags) {
      if (flag.startsWith("--") && flag.length() > 2) {
        int eq = flag.indexOf('=');
        names.add(flag.substring(2, eq < 0 ? flag.length() : eq));
      }
    }
    return names;
  }

  static PipelineDefinition<?> definition(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          PIPELINE_ENV
              + " is not set: the template image must name its pipeline, one of "
              + names());
    }
    return PipelineCatalog.find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    PIPELINE_ENV + "=" + name + " names no pipeline; use one of " + names()));
  }

  static String[] withDefaultRunner(String[] args, String runner) {
    if (Arrays.stream(args).anyMatch(a -> a.startsWith("--runner=") || a.equals("--runner"))) {
      return args;
    }
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--runner=" + runner);
    return all.toArray(new String[0]);
  }

  private static String names() {
    return String.join(", ", PipelineCatalog.all().stream().map(p -> p.name()).toList());
  }
}
