package dev.streamfirst.transforms.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;

/**
 * One result row: the {@link Stats} of one key in one window, and which pane produced it.
 *
 * <p>Rows of the same key and window from later panes replace earlier ones (panes accumulate).
 */
@AutoValue
public abstract class StatsRow implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public abstract String key();

  public abstract Instant windowStart();

  public abstract Instant windowEnd();

  public abstract Stats stats();

  /** {@code EARLY}, {@code ON_TIME}, {@code LATE} or {@code UNKNOWN}. */
  public abstract PaneInfo.Timing paneTiming();

  public abstract long paneIndex();

  /** Whether no later pane will follow for this key and window. */
  public abstract boolean isFinal();

  public static StatsRow of(
      String key,
      Instant windowStart,
      Instant windowEnd,
      Stats stats,
      PaneInfo.Timing paneTiming,
      long paneIndex,
      boolean isFinal) {
    return new AutoValue_StatsRow(
        key, windowStart, windowEnd, stats, paneTiming, paneIndex, isFinal);
  }

  /**
   * Reads a row back from {@link #toJson()}'s form, for sinks that store rows by their parts (a
   * database upserting by key and window). Unknown fields are ignored.
   *
   * <pre>{@code
   * StatsRow row = StatsRow.fromJson(line);
   * row.windowEnd(); // 2026-11-25T10:01:00.000Z
   * }</pre>
   *
   * @throws IllegalArgumentException naming the missing or mistyped field, or saying the text is
   *     not a JSON object
   */
  public static StatsRow fromJson(String json) {
    JsonNode node;
    try {
      node = json == null ? null : JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "a result row must be a JSON object, got " + abbreviate(json), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "a result row must be a JSON object, got " + abbreviate(json));
    }
    Instant start =
        WindowBounds.isOpen(node, "window_start")
            ? WindowBounds.GLOBAL_START
            : instant(node, "window_start", json);
    Instant end =
        WindowBounds.isOpen(node, "window_end")
            ? WindowBounds.GLOBAL_END
            : instant(node, "window_end", json);
    return of(
        field(node, "key", json, JsonNode::isTextual, "a string").textValue(),
        start,
        end,
        Stats.of(
            field(node, "count", json, StatsRow::isWhole, "a whole number").longValue(),
            number(node, "sum", json),
            number(node, "min", json),
            number(node, "max", json),
            number(node, "mean", json)),
        timing(node, json),
        field(node, "pane_index", json, StatsRow::isWhole, "a whole number").longValue(),
        field(node, "final", json, JsonNode::isBoolean, "true or false").booleanValue());
  }

  /**
   * One JSON object: {@code key}, {@code window_start}, {@code window_end} (ISO-8601, UTC; null for
   * the open ends of the global window), {@code count}, {@code sum}, {@code min}, {@code max},
   * {@code mean}, {@code pane}, {@code pane_index}, {@code final}.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key());
    WindowBounds.putStart(node, windowStart());
    WindowBounds.putEnd(node, windowEnd());
    node.put("count", stats().count());
    node.put("sum", stats().sum());
    // A discarding pane can be empty: it has no min, max or mean, and JSON has no NaN.
    putFinite(node, "min", stats().min());
    putFinite(node, "max", stats().max());
    putFinite(node, "mean", stats().mean());
    node.put("pane", paneTiming().name());
    node.put("pane_index", paneIndex());
    node.put("final", isFinal());
    return node.toString();
  }

  private static JsonNode field(
      JsonNode row, String name, String json, Predicate<JsonNode> valid, String expected) {
    JsonNode value = row.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(
          "result row field '" + name + "' is missing in " + abbreviate(json));
    }
    if (!valid.test(value)) {
      throw new IllegalArgumentException(
          "result row field '" + name + "' must be " + expected + ", got " + value);
    }
    return value;
  }

  // canConvertToLong() alone would also take 3.7; a count or a pane index is written whole.
  private static boolean isWhole(JsonNode value) {
    return value.isIntegralNumber() && value.canConvertToLong();
  }

  private static double number(JsonNode row, String name, String json) {
    return field(row, name, json, JsonNode::isNumber, "a number").doubleValue();
  }

  private static Instant instant(JsonNode row, String name, String json) {
    String text = field(row, name, json, JsonNode::isTextual, "an ISO-8601 instant").textValue();
    try {
      return new Instant(java.time.Instant.parse(text).toEpochMilli());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "result row field '"
              + name
              + "' must be an ISO-8601 instant in UTC such as 2026-11-25T10:00:00.000Z, got \""
              + text
              + "\"",
          e);
    }
  }

  private static PaneInfo.Timing timing(JsonNode row, String json) {
    String text = field(row, "pane", json, JsonNode::isTextual, "a string").textValue();
    try {
      return PaneInfo.Timing.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "result row field 'pane' must be EARLY, ON_TIME, LATE or UNKNOWN, got \"" + text + "\"",
          e);
    }
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  static void putFinite(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
