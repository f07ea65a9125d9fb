package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one variant on one input in a JVM of its own, so that no variant finds classes loaded and
 * code compiled by another, or a heap another has filled. The child starts with the benchmark's own
 * class path and JVM flags (heap size, Flink's {@code --add-opens}), less the debugging and
 * profiling agents, which must not be attached twice (see {@link #inheritedJvmFlags}), plus any
 * flags given for the children. It writes {@value #RESULT} ({@link RunResult}) and {@value #ROWS}
 * (the aggregates, one JSON object a line, as the pipelines write them) into its folder, and its
 * console output into {@value #LOG}.
 */
final class VariantProcess {
  static final String RESULT = "result.properties";
  static final String ROWS = "rows.jsonl";
  static final String LOG = "child.log";

  private static final ObjectMapper JSON = new ObjectMapper();

  private VariantProcess() {}

  /**
   * Runs {@code variant} on {@code input} in a child JVM, with {@code folder} as its work folder.
   *
   * @throws IllegalStateException if the child fails; the message ends with its last log lines
   */
  static RunResult run(String variant, Path input, Path folder, List<String> extraJvmFlags)
      throws IOException, InterruptedException {
    Files.createDirectories(folder);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(inheritedJvmFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    command.addAll(extraJvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(VariantProcess.class.getName());
    command.add(variant);
    command.add(input.toString());
    command.add(folder.toString());
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve(LOG).toFile())
            .start();
    int exit = child.waitFor();
    if (exit != 0 || !Files.exists(folder.resolve(RESULT))) {
      throw new IllegalStateException(
          variant
              + " on "
              + input.getFileName()
              + " failed (exit "
              + exit
              + "); end of "
              + folder.resolve(LOG)
              + ":\n"
              + tail(folder.resolve(LOG), 40));
    }
    return RunResult.read(folder.resolve(RESULT));
  }

  /**
   * The parent's JVM flags that a child should have too: all but those that attach a debugger, an
   * agent (a profiler, a coverage tool) or a flight recording, or write a log file — a second JVM
   * would fight over the port or the file, and a profile of the parent is not asked of its
   * children.
   */
  static List<String> inheritedJvmFlags(List<String> parentFlags) {
    List<String> flags = new ArrayList<>();
    for (String flag : parentFlags) {
      boolean drop =
          flag.startsWith("-agentlib:")
              || flag.startsWith("-agentpath:")
              || flag.startsWith("-javaagent:")
              || flag.startsWith("-Xrunjdwp")
              || flag.equals("-Xdebug")
              || flag.startsWith("-XX:StartFlightRecording")
              || flag.startsWith("-XX:FlightRecorderOptions")
              || flag.equals("-XX:+FlightRecorder")
              || (flag.startsWith("-Xlog:") && flag.contains("file="));
      if (!drop) {
        flags.add(flag);
      }
    }
    return flags;
  }

  /** The child: {@code VariantProcess <variant name> <input file> <folder>}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("expected <variant name> <input file> <folder>");
    }
    Variant variant = RollupBenchmark.variant(args[0]);
    Path input = Path.of(args[1]);
    Path folder = Path.of(args[2]);
    Path scratch = Files.createDirectories(folder.resolve("scratch"));

    HeapWatch heap = HeapWatch.start();
    long start = System.nanoTime();
    List<AggregateRow> rows = variant.run(input, scratch);
    double seconds = (System.nanoTime() - start) / 1e9;
    HeapWatch.Reading memory = heap.stop();

    writeRows(rows, folder.resolve(ROWS));
    new RunResult(
            variant.name(),
            input.getFileName().toString(),
            seconds,
            RollupBenchmark.lines(input),
            rows.size(),
            memory.peakHeapBytes(),
            memory.heapAfterGcBytes(),
            memory.peakRssBytes())
        .write(folder.resolve(RESULT));
    // A Flink mini cluster or a runner's pools may leave non-daemon threads behind.
    System.exit(0);
  }

  /** The rows in the pipelines' own format, which {@link RowFiles#read} reads. */
  static void writeRows(List<AggregateRow> rows, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (AggregateRow row : rows) {
        // Jackson writes doubles as Double.toString does: they read back exactly.
        out.write(
            JSON.writeValueAsString(
                Map.of(
                    "key", row.key(),
                    "window_start", Instant.ofEpochMilli(row.windowStart()).toString(),
                    "count", row.count(),
                    "sum", row.sum(),
                    "min", row.min(),
                    "max", row.max())));
        out.newLine();
      }
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
