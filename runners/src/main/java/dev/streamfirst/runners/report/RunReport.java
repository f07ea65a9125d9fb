package dev.streamfirst.runners.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.transforms.metrics.RunReportMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's report: {@code summary.json} (counts, options with secrets masked, timings, exit status,
 * and the series behind the charts) and {@code report.html}, a page drawn from that same JSON with
 * inline SVG charts and no network access.
 *
 * <pre>{@code
 * RunReport.write(Path.of("out"), facts);   // out/summary.json, out/report.html
 * }</pre>
 */
public final class RunReport {
  public static final String SUMMARY_FILE = "summary.json";
  public static final String HTML_FILE = "report.html";

  /** Windows drawn in the rows-per-window chart; summary.json has them all. */
  static final int WINDOWS_DRAWN = 120;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunReport() {}

  /** Where a report was written. */
  public record Written(Path summary, Path html) {}

  /**
   * Writes both files into {@code directory} (created if missing), each replaced as a whole so a
   * reader never sees half of one.
   */
  public static Written write(Path directory, RunFacts facts) throws IOException {
    FileOutputs outputs = FileOutputs.read(facts.rows(), facts.deadLetters());
    ObjectNode summary = summary(facts, outputs);
    Files.createDirectories(directory);
    Path json = directory.resolve(SUMMARY_FILE);
    Path html = directory.resolve(HTML_FILE);
    replace(json, JSON.writeValueAsString(summary) + "\n");
    replace(html, ReportPage.render(summary));
    return new Written(json, html);
  }

  private static void replace(Path file, String text) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The content of {@code summary.json}. */
  static ObjectNode summary(RunFacts facts, FileOutputs outputs) {
    ObjectNode root = JSON.createObjectNode();
    root.put("pipeline", facts.pipeline());
    root.put("runner", facts.runner());
    root.put("status", facts.status());
    root.put("exit_code", facts.exitCode());
    root.put("started", facts.started().toString());
    root.put("ended", facts.ended().toString());
    root.put("seconds", round(facts.seconds(), 3));

    ObjectNode counts = root.putObject("counts");
    facts.counts().forEach(counts::put);

    long read = facts.counts().getOrDefault("events_read", 0L);
    ObjectNode rate = root.putObject("events_per_second");
    rate.put("average", facts.seconds() > 0 ? round(read / facts.seconds(), 1) : 0.0);
    ArrayNode series = rate.putArray("series");
    double peak = 0;
    RunFacts.Sample previous = new RunFacts.Sample(0, 0, 0, 0);
    for (RunFacts.Sample sample : facts.timeline()) {
      double dt = sample.seconds() - previous.seconds();
      if (dt <= 0) {
        continue;
      }
      double perSecond = Math.max(0, sample.eventsRead() - previous.eventsRead()) / dt;
      peak = Math.max(peak, perSecond);
      ObjectNode point = series.addObject();
      point.put("t", round(sample.seconds(), 2));
      point.put("events_per_second", round(perSecond, 1));
      point.put("events_read", sample.eventsRead());
      point.put("rows", sample.rows());
      point.put("dead_letters", sample.deadLetters());
      previous = sample;
    }
    rate.put("peak", round(peak, 1));
    rate.put("samples", series.size());

    Map<String, Long> report = facts.reportCounters();
    ObjectNode windows = root.putObject("rows_per_window");
    ArrayNode windowList = windows.putArray("windows");
    Map<Long, Long> byStart = new TreeMap<>();
    report.forEach(
        (name, value) -> {
          if (name.startsWith(RunReportMetrics.ROWS_WINDOW_PREFIX)) {
            try {
              byStart.merge(
                  Long.parseLong(name.substring(RunReportMetrics.ROWS_WINDOW_PREFIX.length())),
                  value,
                  Long::sum);
            } catch (NumberFormatException e) {
              // Not one of ours.
            }
          }
        });
    byStart.forEach(
        (start, rows) -> {
          ObjectNode window = windowList.addObject();
          window.put("window_start", Instant.ofEpochMilli(start).toString());
          window.put("rows", rows);
        });
    windows.put("count", byStart.size());
    windows.put("later_windows_rows", report.getOrDefault(RunReportMetrics.ROWS_LATER_WINDOWS, 0L));

    ObjectNode dead = root.putObject("dead_letters");
    dead.put("total", facts.counts().getOrDefault("dead_letters", 0L));
    ObjectNode byStage = dead.putObject("by_stage");
    new TreeMap<>(report)
        .forEach(
            (name, value) -> {
              if (name.startsWith(RunReportMetrics.DEAD_LETTERS_STAGE_PREFIX)) {
                byStage.put(
                    name.substring(RunReportMetrics.DEAD_LETTERS_STAGE_PREFIX.length()), value);
              }
            });
    ArrayNode reasons = dead.putArray("by_reason");
    for (FileOutputs.Reason reason : outputs.reasons()) {
      ObjectNode r = reasons.addObject();
      r.put("reason", reason.reason());
      r.put("stage", reason.stage());
      r.put("count", reason.count());
      ArrayNode examples = r.putArray("examples");
      reason.examples().forEach(examples::add);
    }
    dead.put("read_from_files", facts.deadLetters().isPresent());

    ObjectNode keys = root.putObject("top_keys");
    keys.put("read_from_files", facts.rows().isPresent());
    ArrayNode keyList = keys.putArray("keys");
    for (FileOutputs.KeyTotal key : outputs.topKeys()) {
      ObjectNode k = keyList.addObject();
      k.put("key", key.key());
      k.put("events", key.events());
      k.put("windows", key.windows());
    }
    root.put("file_outputs_truncated", outputs.truncated());

    ObjectNode latency = root.putObject("row_latency_ms");
    ArrayNode buckets = latency.putArray("buckets");
    long measured = 0;
    List<String> bounds = new ArrayList<>();
    RunReportMetrics.LATENCY_BOUNDS_MS.forEach(b -> bounds.add(String.valueOf(b)));
    bounds.add(RunReportMetrics.LATENCY_INFINITE);
    for (String bound : bounds) {
      long rows = report.getOrDefault(RunReportMetrics.ROW_LATENCY_PREFIX + bound, 0L);
      measured += rows;
      ObjectNode bucket = buckets.addObject();
      if (bound.equals(RunReportMetrics.LATENCY_INFINITE)) {
        bucket.putNull("le");
      } else {
        bucket.put("le", Long.parseLong(bound));
      }
      bucket.put("rows", rows);
    }
    latency.put("rows", measured);

    ObjectNode options = root.putObject("options");
    new TreeMap<>(facts.options()).forEach(options::put);
    ObjectNode counters = root.putObject("counters");
    new TreeMap<>(facts.counters()).forEach(counters::put);
    return root;
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
