package dev.streamfirst.runners.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: drawn from {@code summary.json}'s content alone, so the two cannot disagree.
 * Self-contained: inline CSS and SVG, no script, nothing fetched. Every number shown carries the
 * JSON pointer it came from ({@code data-field="/counts/events_read"}), so a test (or a person) can
 * check the page against the JSON.
 */
final class ReportPage {
  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"
  };
  private static final int WIDTH = 1120;
  private static final int HEIGHT = 260;
  private static final int LEFT = 70;
  private static final int BOTTOM = 40;
  private static final int TOP = 28;

  private ReportPage() {}

  static String render(JsonNode s) {
    StringBuilder h = new StringBuilder(32_768);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .append(" style-src 'unsafe-inline'; img-src data:\">\n")
        .append("<title>")
        .append(esc(s.path("pipeline").asText()))
        .append(" run report</title>\n<style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}")
        .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}")
        .append(".meta{color:#555}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}")
        .append(".card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:120px}")
        .append(".card b{display:block;font-size:20px}.status-DONE{color:#2ca02c}")
        .append(".bad{color:#d62728}table{border-collapse:collapse}td,th{padding:3px 10px;")
        .append("border-bottom:1px solid #eee;text-align:left;vertical-align:top}")
        .append("td.n{text-align:right}pre{margin:0;white-space:pre-wrap;word-break:break-all;")
        .append("max-width:760px;font-size:12px;background:#f6f6f6;padding:2px 4px}")
        .append("svg text{font:11px sans-serif;fill:#444}.note{color:#666;font-size:13px}")
        .append("</style></head><body>\n");

    String status = s.path("status").asText();
    h.append("<h1>")
        .append(esc(s.path("pipeline").asText()))
        .append(" on ")
        .append(esc(s.path("runner").asText()))
        .append("</h1>\n<div class=\"meta\">")
        .append("<span class=\"status-")
        .append(esc(status))
        .append(status.equals("DONE") ? "" : " bad")
        .append("\" data-field=\"/status\" data-value=\"")
        .append(esc(status))
        .append("\">")
        .append(esc(status))
        .append("</span> · exit code ")
        .append(number("/exit_code", s.path("exit_code").asLong()))
        .append(" · started ")
        .append(esc(s.path("started").asText()))
        .append(" · ")
        .append(decimal("/seconds", s.path("seconds").asDouble(), 1))
        .append(" s</div>\n<div class=\"cards\">");
    s.path("counts")
        .fields()
        .forEachRemaining(
            e ->
                h.append("<div class=\"card\">")
                    .append(number("/counts/" + e.getKey(), e.getValue().asLong()))
                    .append(esc(e.getKey().replace('_', ' ')))
                    .append("</div>"));
    h.append("<div class=\"card\">")
        .append(
            decimal("/events_per_second/average", s.at("/events_per_second/average").asDouble(), 1))
        .append("events/s on average</div></div>\n");

    eventsPerSecond(h, s.path("events_per_second"));
    rowsPerWindow(h, s.path("rows_per_window"));
    deadLetters(h, s.path("dead_letters"));
    topKeys(h, s.path("top_keys"));
    latency(h, s.path("row_latency_ms"));
    options(h, s.path("options"));
    h.append("<p class=\"note\">Written by the Streamfirst launcher; the same numbers are in")
        .append(" summary.json beside this page.</p>\n</body></html>\n");
    return h.toString();
  }

  private static void eventsPerSecond(StringBuilder h, JsonNode rate) {
    h.append("<h2>Events per second</h2>\n");
    JsonNode series = rate.path("series");
    if (series.size() == 0) {
      h.append("<p class=\"note\">No samples: the runner reported no counters while the job ran.")
          .append("</p>\n");
      return;
    }
    h.append("<p class=\"note\">Peak ")
        .append(decimal("/events_per_second/peak", rate.path("peak").asDouble(), 1))
        .append(" events/s over ")
        .append(number("/events_per_second/samples", series.size()))
        .append(" samples of the job's counters while it ran.</p>\n");
    double maxT = 0;
    double maxY = 0;
    for (JsonNode p : series) {
      maxT = Math.max(maxT, p.path("t").asDouble());
      maxY = Math.max(maxY, p.path("events_per_second").asDouble());
    }
    maxY = niceCeiling(maxY);
    maxT = Math.max(maxT, 1e-3);
    StringBuilder line = new StringBuilder();
    StringBuilder area = new StringBuilder();
    area.append(String.format(Locale.ROOT, "%d,%d ", LEFT, HEIGHT - BOTTOM));
    double x0 = 0;
    double y0 = 0;
    List<String> dots = new ArrayList<>();
    for (JsonNode p : series) {
      double x = LEFT + (WIDTH - LEFT - 20) * p.path("t").asDouble() / maxT;
      double y =
          HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * p.path("events_per_second").asDouble() / maxY;
      line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      area.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.add(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%.1f s: %.1f events/s"
                  + "</title></circle>",
              x,
              y,
              PALETTE[1],
              p.path("t").asDouble(),
              p.path("events_per_second").asDouble()));
      x0 = x;
      y0 = y;
    }
    area.append(String.format(Locale.ROOT, "%.1f,%d", x0, HEIGHT - BOTTOM));
    svgOpen(h, "events-per-second", HEIGHT);
    axes(h, maxY, "events/s", String.format(Locale.ROOT, "%.0f s", maxT));
    h.append("<polygon points=\"")
        .append(area)
        .append("\" fill=\"")
        .append(PALETTE[0])
        .append("\" fill-opacity=\"0.35\"/>")
        .append("<polyline points=\"")
        .append(line)
        .append("\" fill=\"none\" stroke=\"")
        .append(PALETTE[0])
        .append("\" stroke-width=\"2.5\"/>");
    dots.forEach(h::append);
    h.append("</svg>\n");
  }

  private static void rowsPerWindow(StringBuilder h, JsonNode windows) {
    h.append("<h2>Rows per window</h2>\n");
    JsonNode list = windows.path("windows");
    if (list.size() == 0) {
      h.append("<p class=\"note\">No windowed rows were written.</p>\n");
      return;
    }
    int from = Math.max(0, list.size() - RunReport.WINDOWS_DRAWN);
    h.append("<p class=\"note\">")
        .append(number("/rows_per_window/count", windows.path("count").asLong()))
        .append(" windows, counted as rows were handed to the sink")
        .append(from > 0 ? "; the last " + RunReport.WINDOWS_DRAWN + " are drawn" : "")
        .append(". First window ")
        .append(esc(list.get(0).path("window_start").asText()))
        .append(", last ")
        .append(esc(list.get(list.size() - 1).path("window_start").asText()))
        .append(".</p>\n");
    List<Bar> bars = new ArrayList<>();
    for (int i = from; i < list.size(); i++) {
      JsonNode w = list.get(i);
      bars.add(
          new Bar(
              w.path("window_start").asText(),
              w.path("rows").asLong(),
              "/rows_per_window/windows/" + i + "/rows"));
    }
    columns(h, "rows-per-window", bars, "rows", false);
    long later = windows.path("later_windows_rows").asLong();
    if (later > 0) {
      h.append("<p class=\"note\">")
          .append(number("/rows_per_window/later_windows_rows", later))
          .append(" more rows in windows beyond the first ")
          .append(dev.streamfirst.transforms.metrics.RunReportMetrics.MAX_WINDOWS)
          .append(" each worker counted.</p>\n");
    }
  }

  private static void deadLetters(StringBuilder h, JsonNode dead) {
    h.append("<h2>Dead letters</h2>\n<p class=\"note\">")
        .append(number("/dead_letters/total", dead.path("total").asLong()))
        .append(" in all.");
    dead.path("by_stage")
        .fields()
        .forEachRemaining(
            e ->
                h.append(" Stage ")
                    .append(esc(e.getKey()))
                    .append(": ")
                    .append(number("/dead_letters/by_stage/" + e.getKey(), e.getValue().asLong()))
                    .append("."));
    h.append("</p>\n");
    JsonNode reasons = dead.path("by_reason");
    if (reasons.size() == 0) {
      h.append("<p class=\"note\">")
          .append(
              dead.path("read_from_files").asBoolean()
                  ? "None were written."
                  : "Reasons and examples are read from a file:// dead-letter sink; this run"
                      + " sent them elsewhere.")
          .append("</p>\n");
      return;
    }
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < reasons.size() && i < 10; i++) {
      JsonNode r = reasons.get(i);
      bars.add(
          new Bar(
              r.path("stage").asText() + ": " + r.path("reason").asText(),
              r.path("count").asLong(),
              "/dead_letters/by_reason/" + i + "/count"));
    }
    horizontal(h, "dead-letters-by-reason", bars);
    h.append("<table><tr><th>stage</th><th>reason</th><th>count</th><th>examples</th></tr>");
    for (int i = 0; i < reasons.size() && i < 10; i++) {
      JsonNode r = reasons.get(i);
      h.append("<tr><td>")
          .append(esc(r.path("stage").asText()))
          .append("</td><td>")
          .append(esc(r.path("reason").asText()))
          .append("</td><td class=\"n\">")
          .append(number("/dead_letters/by_reason/" + i + "/count", r.path("count").asLong()))
          .append("</td><td>");
      for (JsonNode example : r.path("examples")) {
        h.append("<pre>").append(esc(abbreviate(example.asText()))).append("</pre>");
      }
      h.append("</td></tr>");
    }
    h.append("</table>\n");
  }

  private static void topKeys(StringBuilder h, JsonNode keys) {
    h.append("<h2>Top keys</h2>\n");
    JsonNode list = keys.path("keys");
    if (list.size() == 0) {
      h.append("<p class=\"note\">")
          .append(
              keys.path("read_from_files").asBoolean()
                  ? "No rows with a key and a count were written."
                  : "Top keys are read from a file:// sink's rows; this run sent them elsewhere.")
          .append("</p>\n");
      return;
    }
    h.append("<p class=\"note\">Events per key: the count of each key's windows summed, from the")
        .append(" rows written.</p>\n");
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode k = list.get(i);
      bars.add(
          new Bar(
              k.path("key").asText(),
              k.path("events").asLong(),
              "/top_keys/keys/" + i + "/events"));
    }
    horizontal(h, "top-keys", bars);
  }

  private static void latency(StringBuilder h, JsonNode latency) {
    h.append("<h2>Row latency</h2>\n");
    long rows = latency.path("rows").asLong();
    if (rows == 0) {
      h.append("<p class=\"note\">Not measured: no windowed rows were written.</p>\n");
      return;
    }
    h.append("<p class=\"note\">When each of ")
        .append(number("/row_latency_ms/rows", rows))
        .append(" rows was handed to the sink, minus its window's end. On a replay of old events")
        .append(" this is the data's age rather than the pipeline's delay.</p>\n");
    List<Bar> bars = new ArrayList<>();
    JsonNode buckets = latency.path("buckets");
    for (int i = 0; i < buckets.size(); i++) {
      JsonNode b = buckets.get(i);
      String label = b.path("le").isNull() ? "> 1h" : "≤ " + millis(b.path("le").asLong());
      bars.add(new Bar(label, b.path("rows").asLong(), "/row_latency_ms/buckets/" + i + "/rows"));
    }
    columns(h, "row-latency", bars, "rows", true);
  }

  private static void options(StringBuilder h, JsonNode options) {
    h.append("<h2>Options</h2>\n<table>");
    options
        .fields()
        .forEachRemaining(
            e ->
                h.append("<tr><td>--")
                    .append(esc(e.getKey()))
                    .append("</td><td><pre>")
                    .append(esc(e.getValue().asText()))
                    .append("</pre></td></tr>"));
    h.append("</table>\n");
  }

  private record Bar(String label, long value, String field) {}

  /** Vertical bars; {@code labelAll} writes every label (few bars), else the first and last. */
  private static void columns(
      StringBuilder h, String name, List<Bar> bars, String unit, boolean labelAll) {
    long max = 1;
    for (Bar b : bars) {
      max = Math.max(max, b.value());
    }
    double maxY = niceCeiling(max);
    svgOpen(h, name, HEIGHT);
    axes(h, maxY, unit, "");
    double slot = (double) (WIDTH - LEFT - 20) / bars.size();
    double width = Math.max(1, slot * 0.8);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double height = (HEIGHT - BOTTOM - TOP) * b.value() / maxY;
      double x = LEFT + i * slot + (slot - width) / 2;
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\""
                  + " data-field=\"%s\" data-value=\"%d\"><title>%s: %d</title></rect>",
              x,
              HEIGHT - BOTTOM - height,
              width,
              height,
              PALETTE[i % PALETTE.length],
              esc(b.field()),
              b.value(),
              esc(b.label()),
              b.value()));
      if (labelAll || i == 0 || i == bars.size() - 1) {
        h.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                x + width / 2,
                HEIGHT - BOTTOM + 16,
                labelAll ? "middle" : (i == 0 ? "start" : "end"),
                esc(labelAll ? b.label() : shortTime(b.label()))));
      }
    }
    h.append("</svg>\n");
  }

  private static void horizontal(StringBuilder h, String name, List<Bar> bars) {
    long max = 1;
    for (Bar b : bars) {
      max = Math.max(max, b.value());
    }
    int rowHeight = 24;
    int labelWidth = 360;
    int height = bars.size() * rowHeight + 10;
    svgOpen(h, name, height);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double width = (WIDTH - labelWidth - 90) * (double) b.value() / max;
      int y = 5 + i * rowHeight;
      h.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                  labelWidth - 8,
                  y + 15,
                  esc(abbreviate(b.label(), 55))))
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\""
                      + " data-field=\"%s\" data-value=\"%d\"><title>%s: %d</title></rect>",
                  labelWidth,
                  y,
                  Math.max(1, width),
                  rowHeight - 6,
                  PALETTE[i % PALETTE.length],
                  esc(b.field()),
                  b.value(),
                  esc(b.label()),
                  b.value()))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\">%,d</text>",
                  labelWidth + Math.max(1, width) + 6,
                  y + 15,
                  b.value()));
    }
    h.append("</svg>\n");
  }

  private static void svgOpen(StringBuilder h, String name, int height) {
    h.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"%s\""
                + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
            name,
            WIDTH,
            height,
            WIDTH,
            height));
  }

  private static void axes(StringBuilder h, double maxY, String unit, String rightLabel) {
    for (int i = 0; i <= 4; i++) {
      double y = HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * i / 4.0;
      h.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              LEFT,
              y,
              WIDTH - 20,
              y,
              LEFT - 6,
              y + 4,
              compact(maxY * i / 4.0)));
    }
    h.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                + "<text x=\"4\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s"
                + "</text>",
            LEFT,
            HEIGHT - BOTTOM,
            WIDTH - 20,
            HEIGHT - BOTTOM,
            TOP - 12,
            esc(unit),
            WIDTH - 20,
            HEIGHT - 4,
            esc(rightLabel)));
  }

  private static String number(String field, long value) {
    return String.format(
        Locale.ROOT, "<b data-field=\"%s\" data-value=\"%d\">%,d</b> ", esc(field), value, value);
  }

  private static String decimal(String field, double value, int digits) {
    return String.format(
        Locale.ROOT,
        "<b data-field=\"%s\" data-value=\"%s\">%,." + digits + "f</b> ",
        esc(field),
        value,
        value);
  }

  private static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (value <= step * magnitude) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String compact(double value) {
    if (value >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1fM", value / 1_000_000);
    }
    if (value >= 10_000) {
      return String.format(Locale.ROOT, "%.0fk", value / 1_000);
    }
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String millis(long ms) {
    if (ms >= 3_600_000 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms >= 60_000 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms >= 1_000) {
      return (ms % 1_000 == 0 ? String.valueOf(ms / 1_000) : String.valueOf(ms / 1000.0)) + "s";
    }
    return ms + "ms";
  }

  private static String shortTime(String iso) {
    return iso.length() >= 19 ? iso.substring(0, 10) + " " + iso.substring(11, 19) : iso;
  }

  private static String abbreviate(String text) {
    return abbreviate(text, 300);
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** HTML-escapes text, dead letters' payloads included: they are whatever a producer sent. */
  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
