package dev.streamfirst.templates;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.dataflow.offline.JobSpecs;
import dev.streamfirst.runners.dataflow.offline.OfflineTranslation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Dataflow job a template launch would start, translated here and offline: the pipeline is
 * built from gcloud's {@code --parameters} string exactly as the template's main class builds it on
 * Dataflow, and the real DataflowRunner writes the job spec to a local file. Nothing is uploaded
 * and no Google Cloud account is needed.
 *
 * <pre>{@code
 * JsonNode spec = TemplateJobSpec.translate("rollup",
 *     "--parameters=^~^source=generator://events?rate=100~window=sliding:5m/1m");
 * JobSpecs.isStreaming(spec); // true
 * }</pre>
 */
public final class TemplateJobSpec {
  private static final String OUTPUT_FLAG = "--output=";

  private TemplateJobSpec() {}

  /**
   * {@code TemplateJobSpec <pipeline> --parameters=<as for gcloud> [--output=file.json] [--flags]}:
   * writes the spec (by default to {@code out/<pipeline>-template-job.json}) and says what it
   * holds.
   */
  public static void main(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println(
          "usage: TemplateJobSpec <pipeline> --parameters=<as for gcloud> [--output=file.json]"
              + " [--flags]");
      System.exit(2);
    }
    Path output = Path.of("out", args[0] + "-template-job.json");
    List<String> rest = new ArrayList<>();
    for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
      if (arg.startsWith(OUTPUT_FLAG)) {
        output = Path.of(arg.substring(OUTPUT_FLAG.length()));
      } else {
        rest.add(arg);
      }
    }
    try {
      rest.add(0, args[0]);
      JsonNode spec = translate(rest.toArray(new String[0]));
      output = output.toAbsolutePath();
      Files.createDirectories(output.getParent());
      Files.writeString(output, spec.toPrettyString(), StandardCharsets.UTF_8);
      System.out.println(summary(args[0], spec));
      System.out.println(
          "  top-level steps: " + String.join(", ", JobSpecs.topLevelStepNames(spec)));
      System.out.println("  job spec: " + output);
      System.exit(0);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    } catch (IOException | RuntimeException e) {
      System.err.println("error: the translation failed: " + e);
      System.exit(1);
    }
  }

  /**
   * The job spec of {@code args[0]}'s template launched with the {@code --parameters=...} of {@code
   * args} and any other flags (Dataflow options such as {@code --region}).
   *
   * @throws IllegalArgumentException naming a bad parameter, or a flag the translation sets itself
   * @throws IOException if the spec cannot be written or read back
   */
  public static JsonNode translate(String... args) throws IOException {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("name the template's pipeline first, e.g. rollup");
    }
    PipelineDefinition<?> definition = FlexTemplateMain.definition(args[0]);
    return OfflineTranslation.translate(
        flags -> FlexTemplateMain.build(definition, "DataflowRunner", flags),
        definition.optionsClass(),
        GcloudParameters.expand(Arrays.copyOfRange(args, 1, args.length)));
  }

  /** {@code Translated the rollup template for Dataflow, offline: streaming job, 23 steps}. */
  static String summary(String pipeline, JsonNode spec) {
    return String.format(
        Locale.ROOT,
        "Translated the %s template for Dataflow, offline (nothing submitted): %s job, %d steps",
        pipeline,
        JobSpecs.isStreaming(spec) ? "streaming" : "batch",
        JobSpecs.stepNames(spec).size());
  }
}
