package dev.streamfirst.runners;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.InvalidOptionsException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;

/**
 * The command line behind {@code ./streamfirst}: {@code list} the pipelines, or {@code run} one
 * with flags, reporting progress while it runs and a summary at the end.
 *
 * <pre>{@code
 * ./streamfirst run rollup --source=file:///data/events --window=sliding:5m/1m
 * }</pre>
 */
public final class Launcher {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final String DEFAULT_PIPELINE = "rollup";
  private static final Duration PROGRESS_EVERY = Duration.standardSeconds(2);

  private final PrintStream out;
  private final PrintStream err;

  Launcher(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new Launcher(System.out, System.err).run(args));
  }

  int run(String[] args) {
    if (args.length == 0 || isHelp(args[0])) {
      usage(out);
      return OK;
    }
    switch (args[0]) {
      case "list":
        list();
        return OK;
      case "run":
        return runPipeline(Arrays.copyOfRange(args, 1, args.length));
      default:
        err.println("error: unknown command '" + args[0] + "'");
        usage(err);
        return USAGE;
    }
  }

  private void list() {
    for (PipelineDefinition<?> p : PipelineCatalog.all()) {
      out.printf(Locale.ROOT, "%-12s %s%n", p.name(), p.description());
    }
  }

  private int runPipeline(String[] args) {
    boolean named = args.length > 0 && !args[0].startsWith("-");
    String name = named ? args[0] : DEFAULT_PIPELINE;
    String[] flags = named ? Arrays.copyOfRange(args, 1, args.length) : args;
    Optional<PipelineDefinition<?>> found = PipelineCatalog.find(name);
    if (found.isEmpty()) {
      err.println(
          "error: unknown pipeline '"
              + name
              + "'; available: "
              + String.join(", ", PipelineCatalog.all().stream().map(p -> p.name()).toList()));
      return USAGE;
    }
    PipelineDefinition<?> definition = found.get();
    if (Arrays.stream(flags).anyMatch(Launcher::isHelp)) {
      PipelineOptionsFactory.register(definition.optionsClass());
      PipelineOptionsFactory.printHelp(out, definition.optionsClass());
      return OK;
    }

    PipelineOptions options;
    Pipeline pipeline;
    try {
      options =
          PipelineOptionsFactory.fromArgs(flags).withValidation().as(definition.optionsClass());
      RunnerDefaults.apply(options, flags);
      pipeline = definition.create(options);
    } catch (InvalidOptionsException e) {
      err.println("error: " + e.getMessage());
      err.println("(run './streamfirst run " + name + " --help' for every option)");
      return USAGE;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("(run './streamfirst run " + name + " --help' for every option)");
      return USAGE;
    }

    out.println(
        "Running "
            + name
            + " on "
            + options.getRunner().getSimpleName()
            + " — "
            + RunSummary.describeIo(options));
    return execute(pipeline);
  }

  private int execute(Pipeline pipeline) {
    long started = System.nanoTime();
    PipelineResult result = pipeline.run();
    AtomicBoolean finished = new AtomicBoolean(false);
    Thread onInterrupt =
        new Thread(
            () -> {
              if (!finished.get()) {
                out.println();
                out.println(RunSummary.of(result, started).describe("Stopped"));
                try {
                  result.cancel();
                } catch (Exception ignored) {
                  // The JVM is going down either way; the summary above is what matters.
                }
              }
            });
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      PipelineResult.State state;
      while (true) {
        state = result.waitUntilFinish(PROGRESS_EVERY);
        if (state != null && state.isTerminal()) {
          break;
        }
        out.println(RunSummary.of(result, started).progressLine());
      }
      finished.set(true);
      RunSummary summary = RunSummary.of(result, started);
      if (state != PipelineResult.State.DONE) {
        err.println("error: the pipeline ended " + state);
        out.println(summary.describe("Ended " + state));
        return FAILED;
      }
      out.println(summary.describe("Done"));
      return OK;
    } catch (RuntimeException e) {
      finished.set(true);
      err.println("error: the pipeline failed: " + rootMessage(e));
      return FAILED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException ignored) {
        // Already shutting down.
      }
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + cause + ")";
  }

  private static boolean isHelp(String arg) {
    return List.of("help", "--help", "-h").contains(arg);
  }

  private static void usage(PrintStream to) {
    to.println("usage: ./streamfirst <command>");
    to.println();
    to.println("  run [pipeline] [--flags]   run a pipeline (default: rollup on a generated demo");
    to.println("                             input, DirectRunner, results in ./out/)");
    to.println("  run <pipeline> --help      every option of a pipeline");
    to.println("  list                       the pipelines");
  }
}
