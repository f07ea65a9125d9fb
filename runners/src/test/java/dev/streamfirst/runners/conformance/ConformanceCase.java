package dev.streamfirst.runners.conformance;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pipeline over one input, which every runner must turn into the same output. {@link #all()}
 * makes the cases for every pipeline in the catalog that reads a {@code --source} and writes {@code
 * --sink} and {@code --deadLetter}: the crafted files (bounded; for rollup also read by watching
 * their folder, unbounded in event time), and the generator stopped after a fixed number of events
 * (unbounded), each with the pipeline's variants. {@code bounded} is true for the crafted files,
 * watched or not: each malformed line must then be exactly one dead letter.
 */
record ConformanceCase(
    String name, PipelineDefinition<?> pipeline, List<String> flags, boolean bounded) {

  /** The unbounded source: paced, with a count so it ends; start and interval fixed. */
  static final String GENERATOR =
      "generator://events?rate=1000&count=2000&interval=200ms&start=2026-01-01T00:00:00Z"
          + "&seed=7&keys=8&duplicates=0.1&malformed=0.02&disorder=2s";

  /**
   * Flags per pipeline that give it different shapes over the crafted files; a pipeline without an
   * entry runs once with its defaults. Each variant is one case.
   */
  private static final Map<String, List<List<String>>> FILE_VARIANTS =
      Map.of(
          "rollup",
          List.of(
              List.of("--window=fixed:5m"),
              List.of("--window=sliding:10m/3m"),
              List.of("--window=session:2m")));

  /** The same for the generator: event time moves 200ms per event, 400s in all. */
  private static final Map<String, List<List<String>>> GENERATOR_VARIANTS =
      Map.of("rollup", List.of(List.of("--window=fixed:10s")));

  /**
   * The crafted files read by watching their folder: unbounded, in event time. They are all there
   * when the watch starts, so they are one batch and give the rows and dead letters of the bounded
   * read (no event of them is late); the watch ends 3 s after it found them.
   */
  private static final Map<String, List<List<String>>> WATCH_VARIANTS =
      Map.of("rollup", List.of(List.of("--window=fixed:5m")));

  private static Path input;
  private static Path reference;

  @Override
  public String toString() {
    return name;
  }

  /** Every case of every pipeline in the catalog that reads a source and writes sinks. */
  static List<ConformanceCase> all() {
    List<ConformanceCase> cases = new ArrayList<>();
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      if (!SourceOptions.class.isAssignableFrom(pipeline.optionsClass())
          || !SinkOptions.class.isAssignableFrom(pipeline.optionsClass())) {
        continue;
      }
      List<String> required = requiredFlags(pipeline);
      for (List<String> variant : FILE_VARIANTS.getOrDefault(pipeline.name(), List.of(List.of()))) {
        cases.add(of(pipeline, "files", "file://" + craftedInput(), with(required, variant), true));
      }
      for (List<String> variant : WATCH_VARIANTS.getOrDefault(pipeline.name(), List.of())) {
        cases.add(
            of(
                pipeline,
                "a watched folder",
                "file://" + craftedInput() + "?watch=200ms&stopAfter=3s",
                with(required, variant),
                true));
      }
      for (List<String> variant :
          GENERATOR_VARIANTS.getOrDefault(pipeline.name(), List.of(List.of()))) {
        cases.add(of(pipeline, "generator", GENERATOR, with(required, variant), false));
      }
    }
    return cases;
  }

  /** Flags a pipeline cannot run without, whatever the variant: transactions needs its accounts. */
  private static List<String> requiredFlags(PipelineDefinition<?> pipeline) {
    if (pipeline.name().equals("transactions")) {
      return List.of("--reference=file://" + referenceFile() + "?key=account_id");
    }
    return List.of();
  }

  private static List<String> with(List<String> first, List<String> then) {
    List<String> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  /** Where this JVM's cases write: {@code target/conformance-<pid>/}. */
  static Path workDir() {
    return Path.of("target", "conformance-" + ProcessHandle.current().pid()).toAbsolutePath();
  }

  /** A directory name for the case. */
  String slug() {
    return name.replaceAll("[^A-Za-z0-9._-]+", "_");
  }

  private static ConformanceCase of(
      PipelineDefinition<?> pipeline,
      String input,
      String source,
      List<String> variant,
      boolean bounded) {
    List<String> flags = new ArrayList<>(variant);
    flags.add("--source=" + source);
    String name = pipeline.name() + " " + String.join(" ", variant) + " over " + input;
    return new ConformanceCase(name.replaceAll(" +", " "), pipeline, List.copyOf(flags), bounded);
  }

  private static synchronized Path referenceFile() {
    if (reference == null) {
      try {
        Path file = workDir().resolve("reference").resolve("accounts.jsonl");
        CraftedInput.writeReferenceTo(file);
        reference = file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the reference records", e);
      }
    }
    return reference;
  }

  private static synchronized Path craftedInput() {
    if (input == null) {
      try {
        Path dir = workDir().resolve("input");
        CraftedInput.writeTo(dir);
        input = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the crafted input", e);
      }
    }
    return input;
  }
}
