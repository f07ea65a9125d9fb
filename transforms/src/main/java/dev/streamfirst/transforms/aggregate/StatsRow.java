package dev.streamfirst.transforms.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.io.Serializable;
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
   * One JSON object: {@code key}, {@code window_start}, {@code window_end} (ISO-8601, UTC), {@code
   * count}, {@code sum}, {@code min}, {@code max}, {@code mean}, {@code pane}, {@code pane_index},
   * {@code final}.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key());
    node.put("window_start", windowStart().toString());
    node.put("window_end", windowEnd().toString());
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

  static void putFinite(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
