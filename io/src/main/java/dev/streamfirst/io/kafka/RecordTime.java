package dev.streamfirst.io.kafka;

import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.events.EventParser;
import dev.streamfirst.transforms.events.InvalidEventException;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The event time of one Kafka record: read from the payload's time field, or the record's own
 * timestamp. A payload whose time cannot be read gets the record's timestamp: it is stamped and
 * passed on, and parsing later turns it into a dead letter with the precise reason, so the source
 * never drops or fails on it.
 */
final class RecordTime implements Serializable {
  private final @Nullable EventParser payloadTime;

  private RecordTime(@Nullable EventParser payloadTime) {
    this.payloadTime = payloadTime;
  }

  /** Event time from the JSON field {@code field} of the payload (the same rules as parsing). */
  static RecordTime fromPayload(String field) {
    return new RecordTime(new EventParser(EventFields.defaults().withTimestampField(field)));
  }

  /** Event time is the Kafka record timestamp (producer's create time or broker's append time). */
  static RecordTime fromRecord() {
    return new RecordTime(null);
  }

  Instant of(@Nullable String payload, long recordTimestampMillis) {
    if (payloadTime != null && payload != null) {
      try {
        return payloadTime.eventTime(payload);
      } catch (InvalidEventException e) {
        // Falls through to the record timestamp; the parse step reports it.
      }
    }
    if (recordTimestampMillis < 0) {
      // Records written with message format v0 have no timestamp at all.
      return Instant.now();
    }
    long clamped =
        Math.max(
            BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis(),
            Math.min(BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis(), recordTimestampMillis));
    return Instant.ofEpochMilli(clamped);
  }
}
