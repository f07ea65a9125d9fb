package dev.streamfirst.transforms.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;

/** The {@link Summary} of one key in one window, and which pane produced it. */
@AutoValue
public abstract class SummaryRow implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The names {@link #metric} knows, in the order rows print them. */
  public static final List<String> METRICS =
      List.of("count", "sum", "min", "max", "mean", "p50", "p95", "p99", "distinct");

  public abstract String key();

  public abstract Instant windowStart();

  public abstract Instant windowEnd();

  public abstract Summary summary();

  public abstract PaneInfo.Timing paneTiming();

  public abstract long paneIndex();

  /** Whether no later pane will follow for this key and window. */
  public abstract boolean isFinal();

  public static SummaryRow of(
      String key,
      Instant windowStart,
      Instant windowEnd,
      Summary summary,
      PaneInfo.Timing paneTiming,
      long paneIndex,
      boolean isFinal) {
    return new AutoValue_SummaryRow(
        key, windowStart, windowEnd, summary, paneTiming, paneIndex, isFinal);
  }

  /**
   * One metric by name: one of {@link #METRICS}.
   *
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  public double metric(String name) {
    Stats s = summary().stats();
    return switch (name) {
      case "count" -> s.count();
      case "sum" -> s.sum();
      case "min" -> s.min();
      case "max" -> s.max();
      case "mean" -> s.mean();
      case "p50" -> summary().p50();
      case "p95" -> summary().p95();
      case "p99" -> summary().p99();
      case "distinct" -> summary().distinct();
      default ->
          throw new IllegalArgumentException(
              "unknown metric '" + name + "'; use one of " + String.join(", ", METRICS));
    };
  }

  /**
   * One JSON object: {@code key}, {@code window_start}, {@code window_end} (ISO-8601, UTC; null for
   * the open ends of the global window), the {@link #METRICS} ({@code null} where a pane is empty),
   * {@code pane}, {@code pane_index}, {@code final}.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key());
    WindowBounds.putStart(node, windowStart());
    WindowBounds.putEnd(node, windowEnd());
    node.put("count", summary().stats().count());
    for (String metric : METRICS.subList(1, METRICS.size() - 1)) {
      StatsRow.putFinite(node, metric, metric(metric));
    }
    node.put("distinct", summary().distinct());
    node.put("pane", paneTiming().name());
    node.put("pane_index", paneIndex());
    node.put("final", isFinal());
    return node.toString();
  }
}
