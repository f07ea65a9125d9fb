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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the rollup's throughput side by side, in one run, on the same generated input: ours on
 * DirectRunner and FlinkRunner {@code [local]}, the same logic from Beam's built-ins on both, a
 * native Flink DataStream job and a plain Java loop. Checks that all produce the same aggregates
 * (so no variant wins by doing less), then prints events/s and the ratios.
 *
 * <pre>{@code
 * mvn -B -pl benchmarks -am package exec:exec -DskipTests \
 *     -Dbenchmark.args="--events=2000000 --directEvents=200000 --keys=10000"
 * }</pre>
 *
 * <p>DirectRunner runs on a prefix of the same input ({@code --directEvents}): Beam's built-ins
 * there would take hours on millions of events. Ratios are only ever taken between runs over the
 * same input.
 */
public final class RollupBenchmark {
  /** The settings of one run. */
  record Config(
      long events,
      long directEvents,
      int keys,
      double duplicates,
      double malformed,
      String disorder,
      long seed,
      Path work,
      String only) {

    Config(
        long events,
        long directEvents,
        int keys,
        double duplicates,
        double malformed,
        String disorder,
        long seed,
        Path work) {
      this(events, directEvents, keys, duplicates, malformed, disorder, seed, work, "");
    }

    /** Whether to run a variant: all of them unless {@code --only} names part of theirs. */
    boolean runs(Variant variant) {
      return only.isEmpty() || variant.name().contains(only);
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
              Long.parseLong(flags.getOrDefault("events", "2000000")),
              Long.parseLong(flags.getOrDefault("directEvents", "200000")),
              Integer.parseInt(flags.getOrDefault("keys", "10000")),
              Double.parseDouble(flags.getOrDefault("duplicates", "0.05")),
              Double.parseDouble(flags.getOrDefault("malformed", "0.01")),
              flags.getOrDefault("disorder", "5s"),
              Long.parseLong(flags.getOrDefault("seed", "42")),
              flags.containsKey("work")
                  ? Path.of(flags.get("work"))
                  : Files.createTempDirectory("streamfirst-benchmark"),
              flags.getOrDefault("only", ""));
      flags
          .keySet()
          .removeAll(
              List.of(
                  "events",
                  "directEvents",
                  "keys",
                  "duplicates",
                  "malformed",
                  "disorder",
                  "seed",
                  "work",
                  "only"));
      if (!flags.isEmpty()) {
        throw new IllegalArgumentException("unknown flags: " + flags.keySet());
      }
      return config;
    }

    String generatorUri(long count) {
      return String.format(
          Locale.ROOT,
          "generator://events?count=%d&keys=%d&duplicates=%s&malformed=%s&disorder=%s&seed=%d",
          count,
          keys,
          duplicates,
          malformed,
          disorder,
          seed);
    }
  }

  /** One variant's measurement. */
  record Result(String variant, String input, long lines, double seconds, String verdict) {
    double eventsPerSecond() {
      return lines / seconds;
    }

    Result withVerdict(String verdict) {
      return new Result(variant, input, lines, seconds, verdict);
    }
  }

  private RollupBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Result> results = run(Config.parse(args), System.out);
    print(results, System.out);
  }

  /**
   * Runs every variant and returns their measurements.
   *
   * @throws IllegalStateException if any variant's aggregates differ from the plain loop's
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
    Map<Path, List<AggregateRow>> expected = new LinkedHashMap<>();
    for (Path input : List.of(big, small)) {
      expected.put(input, measure(new PlainJavaRollup(), input, config, results, log));
    }
    List<Object[]> plan =
        List.of(
            new Object[] {new NativeFlinkRollup(), big},
            new Object[] {new OurRollup(BeamRunners.FLINK_LOCAL), big},
            new Object[] {new BeamBuiltInsRollup(BeamRunners.FLINK_LOCAL), big},
            new Object[] {new OurRollup(BeamRunners.DIRECT), small},
            new Object[] {new BeamBuiltInsRollup(BeamRunners.DIRECT), small});
    for (Object[] step : plan) {
      Variant variant = (Variant) step[0];
      Path input = (Path) step[1];
      if (!config.runs(variant)) {
        continue;
      }
      List<AggregateRow> rows = measure(variant, input, config, results, log);
      String verdict = check(variant, rows, expected.get(input));
      results.set(results.size() - 1, results.get(results.size() - 1).withVerdict(verdict));
      log.println("    " + verdict);
    }
    return results;
  }

  private static List<AggregateRow> measure(
      Variant variant, Path input, Config config, List<Result> results, PrintStream log)
      throws Exception {
    Path work = Files.createTempDirectory(config.work(), "run");
    long start = System.nanoTime();
    List<AggregateRow> rows = variant.run(input, work);
    double seconds = (System.nanoTime() - start) / 1e9;
    Result result =
        new Result(
            variant.name(), input.getFileName().toString(), lines(input), seconds, "reference");
    results.add(result);
    log.printf(
        Locale.ROOT,
        "  %-45s %,10d lines %8.1f s %,12.0f events/s  (%,d rows)%n",
        variant.name(),
        result.lines(),
        seconds,
        result.eventsPerSecond(),
        rows.size());
    return rows;
  }

  /**
   * Compares a variant's aggregates with the plain loop's. Ours, native Flink and the loop must
   * agree exactly; Beam's built-ins are known to let duplicates through on some runners, which is
   * reported as a finding rather than hidden.
   */
  private static String check(
      Variant variant, List<AggregateRow> actual, List<AggregateRow> expected) {
    List<AggregateRow> a = new ArrayList<>(actual);
    List<AggregateRow> e = new ArrayList<>(expected);
    Collections.sort(a);
    Collections.sort(e);
    String difference = null;
    if (a.size() != e.size()) {
      difference = a.size() + " rows where the plain loop has " + e.size();
    } else {
      for (int i = 0; i < a.size() && difference == null; i++) {
        if (!a.get(i).agreesWith(e.get(i))) {
          difference = "first difference " + a.get(i) + " vs " + e.get(i);
        }
      }
    }
    if (difference == null) {
      return "agrees";
    }
    long extra =
        a.stream().mapToLong(AggregateRow::count).sum()
            - e.stream().mapToLong(AggregateRow::count).sum();
    String finding =
        String.format(
            Locale.ROOT, "DISAGREES: %+d events counted vs the plain loop; %s", extra, difference);
    if (!(variant instanceof BeamBuiltInsRollup)) {
      throw new IllegalStateException(variant.name() + " " + finding);
    }
    return finding;
  }

  /** The results table and the ratios, in Markdown. */
  static void print(List<Result> results, PrintStream out) {
    out.println();
    out.println("| variant | input lines | seconds | events/s | aggregates |");
    out.println("|---|---:|---:|---:|---|");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "| %s | %,d | %.1f | %,.0f | %s |%n",
          r.variant(),
          r.lines(),
          r.seconds(),
          r.eventsPerSecond(),
          r.verdict());
    }
    out.println();
    Result plainBig = results.get(0);
    Result plainSmall = results.get(1);
    Result nativeFlink = find(results, "native Flink");
    Result oursFlink = find(results, "Streamfirst rollup, FlinkRunner");
    Result builtInsFlink = find(results, "Beam built-ins, FlinkRunner");
    Result oursDirect = find(results, "Streamfirst rollup, DirectRunner");
    Result builtInsDirect = find(results, "Beam built-ins, DirectRunner");
    ratio(out, "(a)/(b) ours ÷ Beam built-ins, DirectRunner", oursDirect, builtInsDirect);
    ratio(out, "(a)/(b) ours ÷ Beam built-ins, FlinkRunner [local]", oursFlink, builtInsFlink);
    ratio(out, "(a)/(c) ours on FlinkRunner [local] ÷ native Flink", oursFlink, nativeFlink);
    ratio(out, "(a)/(d) ours on FlinkRunner [local] ÷ plain Java loop", oursFlink, plainBig);
    ratio(out, "(a)/(d) ours on DirectRunner ÷ plain Java loop", oursDirect, plainSmall);
  }

  private static void ratio(PrintStream out, String label, Result a, Result b) {
    if (a == null || b == null) {
      return;
    }
    double ratio = a.eventsPerSecond() / b.eventsPerSecond();
    // Ratios against the plain loop can be tiny; keep their first digits visible.
    out.printf(Locale.ROOT, ratio >= 0.1 ? "- %s: %.2f%n" : "- %s: %.4f%n", label, ratio);
  }

  private static Result find(List<Result> results, String prefix) {
    return results.stream().filter(r -> r.variant().startsWith(prefix)).findFirst().orElse(null);
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
