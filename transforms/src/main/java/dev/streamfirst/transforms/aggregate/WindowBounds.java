package dev.streamfirst.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * How a row's {@code window_start} and {@code window_end} are written: ISO-8601 in UTC, or JSON
 * {@code null} for the open ends of the global window. Beam's own bounds of that window are years
 * -290308 and 294247, which databases, JavaScript's {@code Date} and most JSON readers reject; a
 * null says "unbounded" in every one of them.
 */
final class WindowBounds {
  /** Where the global window starts, as rows hold it. */
  static final Instant GLOBAL_START = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /** Where the global window ends, as rows hold it (one past its last timestamp). */
  static final Instant GLOBAL_END = GlobalWindow.INSTANCE.maxTimestamp().plus(Duration.millis(1));

  private WindowBounds() {}

  static void putStart(ObjectNode node, Instant start) {
    if (start.isAfter(GLOBAL_START)) {
      node.put("window_start", start.toString());
    } else {
      node.putNull("window_start");
    }
  }

  static void putEnd(ObjectNode node, Instant end) {
    if (end.isBefore(GLOBAL_END)) {
      node.put("window_end", end.toString());
    } else {
      node.putNull("window_end");
    }
  }

  /** Whether a row's field holds an open end (null). */
  static boolean isOpen(JsonNode row, String field) {
    return row.has(field) && row.get(field).isNull();
  }
}
