package dev.streamfirst.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What one run of one variant measured, as the child JVM that ran it reports it to the benchmark
 * through a properties file. Sizes are in bytes; -1 where the platform does not tell.
 *
 * @param variant the variant's name
 * @param input the input file's name
 * @param seconds the wall-clock time of the variant's {@code run}, from building the job to reading
 *     its rows back
 * @param lines the lines of the input
 * @param rows the aggregate rows produced
 * @param peakHeapBytes the most heap in use at any time during the run (see {@link HeapWatch})
 * @param heapAfterGcBytes the most heap left in use right after a collection
 * @param peakRssBytes the child process's peak resident set size, heap and off-heap
 */
record RunResult(
    String variant,
    String input,
    double seconds,
    long lines,
    long rows,
    long peakHeapBytes,
    long heapAfterGcBytes,
    long peakRssBytes) {

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("variant", variant);
    p.setProperty("input", input);
    // Double.toString reads back to the same double.
    p.setProperty("seconds", Double.toString(seconds));
    p.setProperty("lines", Long.toString(lines));
    p.setProperty("rows", Long.toString(rows));
    p.setProperty("peakHeapBytes", Long.toString(peakHeapBytes));
    p.setProperty("heapAfterGcBytes", Long.toString(heapAfterGcBytes));
    p.setProperty("peakRssBytes", Long.toString(peakRssBytes));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "one run of the rollup benchmark");
    }
  }

  /**
   * Reads a file that {@link #write} wrote.
   *
   * @throws IOException if the file is missing, or lacks or garbles a field (named in the message)
   */
  static RunResult read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    try {
      return new RunResult(
          field(p, "variant", file),
          field(p, "input", file),
          Double.parseDouble(field(p, "seconds", file)),
          Long.parseLong(field(p, "lines", file)),
          Long.parseLong(field(p, "rows", file)),
          Long.parseLong(field(p, "peakHeapBytes", file)),
          Long.parseLong(field(p, "heapAfterGcBytes", file)),
          Long.parseLong(field(p, "peakRssBytes", file)));
    } catch (NumberFormatException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static String field(Properties p, String name, Path file) throws IOException {
    String value = p.getProperty(name);
    if (value == null) {
      throw new IOException(file + " has no '" + name + "'");
    }
    return value;
  }
}
