package dev.streamfirst.benchmarks;

import dev.streamfirst.io.generator.EventGenerator;
import dev.streamfirst.io.generator.GeneratorSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput of the sessions and sensors pipelines against the same logic from Beam's built-ins
 * ({@link BeamBuiltInsWindowed}), on DirectRunner and FlinkRunner {@code [local]}, each checked
 * against a plain loop's answer ({@link WindowedLogic#reference}) before a figure is printed: ours
 * must agree or the run fails; the built-ins' verdict is reported.
 *
 * <pre>{@code
 * benchmarks/windowed.sh --events=200000 --directEvents=20000 --keys=20 --gap=1s
 * benchmarks/windowed.sh --pipelines=sessions --only="Streamfirst sessions, DirectRunner"
 * }</pre>
 */
public final class WindowedBenchmark {
  /** What to run, on what input. */
  record Config(
      List<WindowedLogic> pipelines,
      long events,
      long directEvents,
      int keys,
      long gapMillis,
      long seed,
      Path work,
      String only) {

    boolean runs(WindowedVariant variant) {
      return only.isEmpty() || variant.name().contains(only);
    }

    String generatorUri(long count) {
      return String.format(
          Locale.ROOT,
          "generator://events?count=%d&keys=%d&duplicates=0.05&malformed=0.01&disorder=5s&seed=%d",
          count,
          keys,
          seed);
    }

    static Config parse(String[] args) throws IOException {
      Map<String, String> flags = new LinkedHashMap<>();
      for (String arg : args) {
        int eq = arg.indexOf('=');
        if (!arg.startsWith("--") || eq < 0) {
          throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
        }
        flags.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
      Config config =
          new Config(
              Arrays.stream(flags.getOrDefault("pipelines", "sessions,sensors").split(","))
                  .map(name -> WindowedLogic.valueOf(name.trim().toUpperCase(Locale.ROOT)))
                  .toList(),
              Long.parseLong(flags.getOrDefault("events", "200000")),
              Long.parseLong(flags.getOrDefault("directEvents", "20000")),
              Integer.parseInt(flags.getOrDefault("keys", "20")),
              dev.streamfirst.transforms.time.Durations.parse(flags.getOrDefault("gap", "1s"))
                  .getMillis(),
              Long.parseLong(flags.getOrDefault("seed", "42")),
              flags.containsKey("work")
                  ? Path.of(flags.get("work"))
                  : Files.createTempDirectory("streamfirst-benchmark"),
              flags.getOrDefault("only", ""));
      flags
          .keySet()
          .removeAll(
              List.of(
                  "pipelines", "events", "directEvents", "keys", "gap", "seed", "work", "only"));
      if (!flags.isEmpty()) {
        throw new IllegalArgumentException("unknown flags: " + flags.keySet());
      }
      return config;
    }
  }

  /** One variant's measurement. */
  record Result(
      WindowedLogic pipeline,
      String variant,
      long lines,
      long rows,
      double seconds,
      String verdict) {
    double eventsPerSecond() {
      return lines / seconds;
    }
  }

  private WindowedBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Result> results = run(Config.parse(args), System.out);
    print(results, System.out);
  }

  /**
   * Runs every chosen variant and returns their measurements.
   *
   * @throws IllegalStateException if one of ours disagrees with the plain loop
   */
  static List<Result> run(Config config, PrintStream log) throws Exception {
    Path big = writeInput(config, config.events(), "input.jsonl");
    Path small = writeInput(config, config.directEvents(), "input-direct.jsonl");
    log.printf(
        Locale.ROOT,
        "Input: %s (%,d lines) and its first %,d events for DirectRunner (%,d lines)%n",
        config.generatorUri(config.events()),
        lines(big),
        config.directEvents(),
        lines(small));
    List<Result> results = new ArrayList<>();
    for (WindowedLogic logic : config.pipelines()) {
      Map<Path, List<WindowRow>> expected = new LinkedHashMap<>();
      for (Path input : List.of(big, small)) {
        long start = System.nanoTime();
        List<WindowRow> rows = logic.reference(PlainEvents.read(input), config.gapMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        expected.put(input, rows);
        results.add(
            new Result(logic, "plain Java loop", lines(input), rows.size(), seconds, "reference"));
      }
      List<Map.Entry<WindowedVariant, Path>> plan =
          List.of(
              Map.entry(
                  new OurWindowedPipeline(logic, BeamRunners.FLINK_LOCAL, config.gapMillis()), big),
              Map.entry(
                  new BeamBuiltInsWindowed(logic, BeamRunners.FLINK_LOCAL, config.gapMillis()),
                  big),
              Map.entry(
                  new OurWindowedPipeline(logic, BeamRunners.DIRECT, config.gapMillis()), small),
              Map.entry(
                  new BeamBuiltInsWindowed(logic, BeamRunners.DIRECT, config.gapMillis()), small));
      for (Map.Entry<WindowedVariant, Path> step : plan) {
        WindowedVariant variant = step.getKey();
        if (!config.runs(variant)) {
          continue;
        }
        Path work = Files.createTempDirectory(config.work(), "run");
        long start = System.nanoTime();
        List<WindowRow> rows = variant.run(step.getValue(), work);
        double seconds = (System.nanoTime() - start) / 1e9;
        String verdict = check(variant, rows, expected.get(step.getValue()));
        Result result =
            new Result(
                logic, variant.name(), lines(step.getValue()), rows.size(), seconds, verdict);
        results.add(result);
        log.printf(
            Locale.ROOT,
            "  %-45s %,10d lines %8.1f s %,12.0f events/s  (%,d rows) %s%n",
            variant.name(),
            result.lines(),
            seconds,
            result.eventsPerSecond(),
            rows.size(),
            verdict);
      }
    }
    return results;
  }

  /** Ours must agree with the loop exactly (sums to the last bits); the built-ins are reported. */
  static String check(WindowedVariant variant, List<WindowRow> actual, List<WindowRow> expected) {
    List<WindowRow> a = actual.stream().sorted().toList();
    List<WindowRow> e = expected.stream().sorted().toList();
    String difference = null;
    if (a.size() != e.size()) {
      difference = a.size() + " rows, the plain loop " + e.size();
    } else {
      for (int i = 0; i < a.size() && difference == null; i++) {
        if (!a.get(i).agreesWith(e.get(i))) {
          difference = a.get(i) + " where the plain loop has " + e.get(i);
        }
      }
    }
    if (difference == null) {
      return "agrees";
    }
    if (variant instanceof OurWindowedPipeline) {
      throw new IllegalStateException(variant.name() + " disagrees: " + difference);
    }
    return "DISAGREES: " + difference;
  }

  static void print(List<Result> results, PrintStream out) {
    out.println();
    out.println("| pipeline | variant | input lines | seconds | events/s | rows | result |");
    out.println("|---|---|---:|---:|---:|---:|---|");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %,d | %.1f | %,.0f | %,d | %s |%n",
          r.pipeline().label(),
          r.variant(),
          r.lines(),
          r.seconds(),
          r.eventsPerSecond(),
          r.rows(),
          r.verdict());
    }
    out.println();
    for (WindowedLogic logic : WindowedLogic.values()) {
      for (BeamRunners runner : BeamRunners.values()) {
        Result ours = find(results, "Streamfirst " + logic.label() + ", " + runner.label());
        Result builtIns = find(results, "Beam built-ins " + logic.label() + ", " + runner.label());
        if (ours != null && builtIns != null) {
          out.printf(
              Locale.ROOT,
              "- %s, ours ÷ Beam built-ins, %s: %.2f%n",
              logic.label(),
              runner.label(),
              ours.eventsPerSecond() / builtIns.eventsPerSecond());
        }
      }
    }
  }

  private static Result find(List<Result> results, String variant) {
    return results.stream().filter(r -> r.variant().equals(variant)).findFirst().orElse(null);
  }

  private static Path writeInput(Config config, long count, String name) throws IOException {
    Files.createDirectories(config.work());
    Path file = config.work().resolve(name);
    EventGenerator generator = new EventGenerator(GeneratorSpec.parse(config.generatorUri(count)));
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String payload : generator.payloads()) {
        out.write(payload);
        out.newLine();
      }
    }
    return file;
  }

  private static long lines(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }
}
