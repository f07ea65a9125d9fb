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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Measures the rollup's throughput side by side, on the same generated input: ours on DirectRunner
 * and FlinkRunner {@code [local]}, the same logic from Beam's built-ins on both, a native Flink
 * DataStream job and a plain Java loop. Checks that all produce the same aggregates (so no variant
 * wins by doing less), then prints each variant's median time and events/s over the rounds, its
 * peak heap, and the ratios between medians.
 *
 * <pre>{@code
 * benchmarks/rollup.sh --events=2000000 --directEvents=5000 --keys=10000 --rounds=3
 * }</pre>
 *
 * <p>Every run of a variant is a JVM of its own ({@link VariantProcess}), so none finds the JIT
 * warmed or the heap filled by another; each round runs the variants in another order ({@link
 * Rounds#order}). DirectRunner runs on a prefix of the same input ({@code --directEvents}): Beam's
 * built-ins there would take hours on millions of events. Ratios are only ever taken between runs
 * over the same input.
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
      int rounds,
      String only,
      List<String> childJvmFlags) {

    Config {
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
      }
      childJvmFlags = List.copyOf(childJvmFlags);
    }

    /**
     * Whether to run a variant: all of them unless {@code --only} names part of theirs. Variants
     * kept only for comparison ({@link #OPT_IN}) run only when {@code --only} names them.
     */
    boolean runs(Variant variant) {
      if (only.isEmpty()) {
        return !OPT_IN.contains(variant.name());
      }
      return variant.name().contains(only);
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
      String childFlags = flags.getOrDefault("childJvmFlags", "").trim();
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
              Integer.parseInt(flags.getOrDefault("rounds", "3")),
              flags.getOrDefault("only", ""),
              childFlags.isEmpty() ? List.of() : List.of(childFlags.split("\\s+")));
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
                  "rounds",
                  "only",
                  "childJvmFlags"));
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

  /**
   * One variant's measurements on one input over all rounds.
   *
   * @param seconds the time of each round, in the order of the rounds
   * @param peakHeapBytes the largest of the rounds' peak used heap
   * @param heapAfterGcBytes the largest heap left after a collection, over the rounds
   * @param peakRssBytes the largest of the rounds' peak resident set, -1 if unknown
   */
  record Result(
      String variant,
      String input,
      long lines,
      long rows,
      List<Double> seconds,
      long peakHeapBytes,
      long heapAfterGcBytes,
      long peakRssBytes,
      String verdict) {
    double medianSeconds() {
      return Rounds.median(seconds);
    }

    /** Events per second at the median time. */
    double eventsPerSecond() {
      return lines / medianSeconds();
    }

    double minSeconds() {
      return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    double maxSeconds() {
      return seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
  }

  /** One variant on one input: what a round runs in a child JVM. */
  private record Step(Variant variant, Path input) {
    String label() {
      return variant.name() + " on " + input.getFileName();
    }

    /** A folder name for a run of this step: its place in the plan and its name, as a slug. */
    String folderName(List<Step> plan) {
      String slug = label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
      return String.format(
          Locale.ROOT, "%02d-%s", plan.indexOf(this) + 1, slug.replaceAll("^-|-$", ""));
    }
  }

  /** Variants that run only when {@code --only} names them. */
  static final Set<String> OPT_IN = Set.of(new NativeFlinkRollup().name());

  private RollupBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Result> results = run(Config.parse(args), System.out);
    print(results, System.out);
  }

  /** Every variant there is, by the name the results table and {@code --only} use. */
  static List<Variant> variants() {
    return List.of(
        new PlainJavaRollup(),
        new TunedNativeFlinkRollup(),
        new NativeFlinkRollup(),
        new OurRollup(BeamRunners.FLINK_LOCAL),
        new BeamBuiltInsRollup(BeamRunners.FLINK_LOCAL),
        new OurRollup(BeamRunners.DIRECT),
        new BeamBuiltInsRollup(BeamRunners.DIRECT));
  }

  /** The variant called {@code name}, as {@link Variant#name} gives it. */
  static Variant variant(String name) {
    return variants().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no variant is called '" + name + "'"));
  }

  /**
   * Runs every variant {@code config.rounds()} times, each run in a JVM of its own, and returns
   * their measurements in the order of the table.
   *
   * @throws IllegalStateException if any variant's aggregates differ from the plain loop's
   */
  static List<Result> run(Config config, PrintStream log) throws Exception {
    Path big = writeInput(config, config.events(), "input.jsonl");
    Path small = writeInput(config, config.directEvents(), "input-direct.jsonl");
    log.printf(
        Locale.ROOT,
        "Input: %s (%,d lines) and its first %,d events for DirectRunner (%,d lines); %d round(s),"
            + " each variant in a JVM of its own%n",
        config.generatorUri(config.events()),
        lines(big),
        config.directEvents(),
        lines(small),
        config.rounds());

    List<Step> plan = new ArrayList<>();
    for (Variant variant : variants()) {
      boolean direct =
          variant instanceof OurRollup o && o.runner() == BeamRunners.DIRECT
              || variant instanceof BeamBuiltInsRollup b && b.runner() == BeamRunners.DIRECT;
      if (variant instanceof PlainJavaRollup) {
        // The reference for both inputs, whatever --only says.
        plan.add(new Step(variant, big));
        plan.add(new Step(variant, small));
      } else if (config.runs(variant)) {
        plan.add(new Step(variant, direct ? small : big));
      }
    }

    Map<Step, List<RunResult>> runs = new LinkedHashMap<>();
    Map<Step, Set<String>> verdicts = new LinkedHashMap<>();
    Map<Path, List<AggregateRow>> expected = new HashMap<>();
    for (int round = 0; round < config.rounds(); round++) {
      Map<Step, Path> folders = new LinkedHashMap<>();
      for (Step step : Rounds.order(plan, round)) {
        Path folder = config.work().resolve("round" + (round + 1)).resolve(step.folderName(plan));
        deleteTree(folder);
        RunResult r =
            VariantProcess.run(step.variant().name(), step.input(), folder, config.childJvmFlags());
        runs.computeIfAbsent(step, s -> new ArrayList<>()).add(r);
        folders.put(step, folder);
        log.printf(
            Locale.ROOT,
            "  round %d/%d  %-50s %,10d lines %8.1f s %,12.0f events/s  (%,d rows, peak heap %,d MiB)%n",
            round + 1,
            config.rounds(),
            step.variant().name(),
            r.lines(),
            r.seconds(),
            r.lines() / r.seconds(),
            r.rows(),
            mebibytes(r.peakHeapBytes()));
      }
      // The plain loop's rows first: the others are checked against them.
      List<Step> checkOrder = new ArrayList<>(folders.keySet());
      checkOrder.sort(Comparator.comparing(s -> !(s.variant() instanceof PlainJavaRollup)));
      for (Step step : checkOrder) {
        Path folder = folders.get(step);
        List<AggregateRow> rows = RowFiles.read(folder.resolve(VariantProcess.ROWS));
        String verdict;
        if (step.variant() instanceof PlainJavaRollup && !expected.containsKey(step.input())) {
          expected.put(step.input(), rows);
          verdict = "reference";
        } else {
          verdict = check(step.variant(), rows, expected.get(step.input()));
          if (step.variant() instanceof PlainJavaRollup) {
            verdict = "reference";
          }
          log.printf(Locale.ROOT, "    round %d  %s: %s%n", round + 1, step.label(), verdict);
        }
        verdicts.computeIfAbsent(step, s -> new LinkedHashSet<>()).add(verdict);
        // The rows can take hundreds of MB per run; the result file and log stay.
        Files.deleteIfExists(folder.resolve(VariantProcess.ROWS));
        deleteTree(folder.resolve("scratch"));
      }
    }

    List<Result> results = new ArrayList<>();
    for (Step step : plan) {
      List<RunResult> r = runs.get(step);
      results.add(
          new Result(
              step.variant().name(),
              step.input().getFileName().toString(),
              r.get(0).lines(),
              r.get(0).rows(),
              r.stream().map(RunResult::seconds).toList(),
              r.stream().mapToLong(RunResult::peakHeapBytes).max().orElseThrow(),
              r.stream().mapToLong(RunResult::heapAfterGcBytes).max().orElseThrow(),
              r.stream().mapToLong(RunResult::peakRssBytes).max().orElseThrow(),
              String.join("; ", verdicts.get(step))));
    }
    return results;
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

  /** The results table and the ratios between medians, in Markdown. */
  static void print(List<Result> results, PrintStream out) {
    out.println();
    out.println(
        "| variant | input lines | rounds | seconds, median | min–max | events/s, median"
            + " | peak heap MiB | heap after GC MiB | peak RSS MiB | aggregates |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "| %s | %,d | %d | %.1f | %.1f–%.1f | %,.0f | %,d | %,d | %s | %s |%n",
          r.variant(),
          r.lines(),
          r.seconds().size(),
          r.medianSeconds(),
          r.minSeconds(),
          r.maxSeconds(),
          r.eventsPerSecond(),
          mebibytes(r.peakHeapBytes()),
          mebibytes(r.heapAfterGcBytes()),
          r.peakRssBytes() < 0
              ? "n/a"
              : String.format(Locale.ROOT, "%,d", mebibytes(r.peakRssBytes())),
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

  private static long mebibytes(long bytes) {
    return Math.round(bytes / (1024.0 * 1024.0));
  }

  /** Events/s of {@code a} over those of {@code b}, both at their median times. */
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

  static long lines(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.count();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
