package dev.streamfirst.templates;

import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

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
    return pipeline(args).run().waitUntilFinish();
  }

  /** The pipeline as the template builds it, without running it. */
  static Pipeline pipeline(String... args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException(
          "usage: LocalLaunch <pipeline> --parameters=<as for gcloud> [--flags]");
    }
    return FlexTemplateMain.build(
        FlexTemplateMain.definition(args[0]),
        "DirectRunner",
        GcloudParameters.expand(Arrays.copyOfRange(args, 1, args.length)));
  }
}
