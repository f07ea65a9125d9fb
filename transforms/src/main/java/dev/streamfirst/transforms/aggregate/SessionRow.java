package dev.streamfirst.transforms.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * One session of one key: its window, how many events it holds, its first and last event and the
 * time between them, and which pane produced it.
 */
@AutoValue
public abstract class SessionRow implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public abstract String key();

  /** The session window's start: its first event's time. */
  public abstract Instant windowStart();

  /** The session window's end: its last event's time plus the gap. */
  public abstract Instant windowEnd();

  public abstract long events();

  public abstract Instant firstEvent();

  public abstract Instant lastEvent();

  public abstract PaneInfo.Timing paneTiming();

  public abstract long paneIndex();

  public abstract boolean isFinal();

  /** From the first event to the last; zero for a session of one event. */
  public Duration duration() {
    return new Duration(firstEvent(), lastEvent());
  }

  public static SessionRow of(
      String key,
      Instant windowStart,
      Instant windowEnd,
      long events,
      Instant firstEvent,
      Instant lastEvent,
      PaneInfo.Timing paneTiming,
      long paneIndex,
      boolean isFinal) {
    return new AutoValue_SessionRow(
        key, windowStart, windowEnd, events, firstEvent, lastEvent, paneTiming, paneIndex, isFinal);
  }

  /**
   * One JSON object: {@code key}, {@code window_start}, {@code window_end}, {@code events}, {@code
   * first_event}, {@code last_event} (ISO-8601, UTC), {@code duration_ms}, {@code pane}, {@code
   * pane_index}, {@code final}.
   */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key());
    WindowBounds.putStart(node, windowStart());
    WindowBounds.putEnd(node, windowEnd());
    node.put("events", events());
    node.put("first_event", firstEvent().toString());
    node.put("last_event", lastEvent().toString());
    node.put("duration_ms", duration().getMillis());
    node.put("pane", paneTiming().name());
    node.put("pane_index", paneIndex());
    node.put("final", isFinal());
    return node.toString();
  }
}
