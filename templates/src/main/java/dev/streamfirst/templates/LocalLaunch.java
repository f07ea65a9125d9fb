package dev.streamfirst.templates;

import dev.streamfirst.pipelines.PipelineDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Runs a template's pipeline here, on DirectRunner, from the very {@code --parameters} string a
 * user would give {@code gcloud dataflow flex-template run}: the way to try a template before
 * publishing it, and to find out how gcloud reads a tricky value.
 *
 * <pre>{@code
 * java -cp templates/target/streamfirst-templates.jar dev.streamfirst.templates.LocalLaunch \
 *     rollup '--parameters=^~^source=file:///data/in~sink=file:///data/out~window=fixed:1m'
 * }</pre>
 */
public final class LocalLaunch {
  private LocalLaunch() {}

  public static void main(String[] args) {
    try {
      PipelineResult.State state = run(args);
      System.out.println("Template pipeline finished: " + state);
      System.exit(state == PipelineResult.State.DONE ? 0 : 1);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Runs {@code args[0]}'s pipeline with the template parameters of a {@code --parameters=...}
   * argument and any other flags, on DirectRunner unless a runner is given, and waits for it.
   */
  public static PipelineResult.State run(String... args) {
    return options(args).pipeline().run().waitUntilFinish();
  }

  /** The pipeline and its options as the template would build them, without running it. */
  static Launch options(String... args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException(
          "usage: LocalLaunch <pipeline> --parameters=<as for gcloud> [--flags]");
    }
    PipelineDefinition<?> definition = FlexTemplateMain.definition(args[0]);
    List<String> flags = new ArrayList<>();
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      if (arg.startsWith("--parameters=")) {
        flags.addAll(
            GcloudParameters.toFlags(
                GcloudParameters.parse(arg.substring("--parameters=".length()))));
      } else {
        flags.add(arg);
      }
    }
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                FlexTemplateMain.withDefaultRunner(flags.toArray(new String[0]), "DirectRunner"))
            .withValidation()
            .as(definition.optionsClass());
    return new Launch(definition, options);
  }

  /** A pipeline definition with the options a launch gives it. */
  static final class Launch {
    final PipelineDefinition<?> definition;
    final PipelineOptions options;

    Launch(PipelineDefinition<?> definition, PipelineOptions options) {
      this.definition = definition;
      this.options = options;
    }

    org.apache.beam.sdk.Pipeline pipeline() {
      return definition.create(options);
    }
  }
}
