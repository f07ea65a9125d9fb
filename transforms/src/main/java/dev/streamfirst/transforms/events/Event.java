package dev.streamfirst.transforms.events;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.joda.time.Instant;

/**
 * One valid event: an id for deduplication, a key to group by, its event time and a numeric value.
 *
 * <p>The original JSON text is kept as {@link #payload()}, so fields the toolkit does not interpret
 * travel with the event to later stages (enrichment, sinks) unchanged.
 *
 * <pre>{@code
 * Event e = Event.of("e-1", "sensor-7", Instant.parse("2026-11-25T10:00:03.250Z"), 21.5, json);
 * }</pre>
 */
@AutoValue
@DefaultCoder(EventCoder.class)
public abstract class Event {

  public abstract String id();

  public abstract String key();

  public abstract Instant timestamp();

  public abstract double value();

  /** The event exactly as it arrived. */
  public abstract String payload();

  public static Event of(String id, String key, Instant timestamp, double value, String payload) {
    return new AutoValue_Event(id, key, timestamp, value, payload);
  }
}
