package dev.streamfirst.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joda.time.Instant;

/**
 * Writes one canonical event as a JSON line, so a test states what an event <em>is</em> rather than
 * hand-escaping JSON text.
 *
 * <p>The event starts with the canonical fields {@code id}, {@code key}, {@code ts} (ISO-8601 UTC
 * with {@code Z}) and {@code value}, in that order. Every method returns a changed copy: fields can
 * be added, replaced by raw JSON (to make a deliberately invalid event), renamed or removed. The
 * {@link #eventTime()} stays the time the event was created with, which is what {@link
 * EventTestStream} stamps the line with.
 *
 * <pre>{@code
 * Instant t = Instant.parse("2026-11-25T10:00:03.250Z");
 * String line = EventJson.event("e-1", "sensor-7", t, 21.5).with("unit", "°C").toJson();
 * // {"id":"e-1","key":"sensor-7","ts":"2026-11-25T10:00:03.250Z","value":21.5,"unit":"°C"}
 * String bad = EventJson.event("e-2", "sensor-7", t, 1).withRaw("value", "\"high\"").toJson();
 * }</pre>
 */
public final class EventJson {
  /** The canonical field names, in the order they are written. */
  public static final String ID = "id";

  public static final String KEY = "key";
  public static final String TS = "ts";
  public static final String VALUE = "value";

  // Always three fraction digits and "Z" for UTC: 2026-11-25T10:00:03.250Z.
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

  private final Instant eventTime;
  private final Map<String, String> rawFields;

  private EventJson(Instant eventTime, Map<String, String> rawFields) {
    this.eventTime = eventTime;
    this.rawFields = rawFields;
  }

  /**
   * An event with the canonical fields; {@code ts} is written as an ISO-8601 instant in UTC.
   *
   * @throws IllegalArgumentException if {@code value} is not finite (JSON has no such number; use
   *     {@link #withRaw} to write one anyway)
   */
  public static EventJson event(String id, String key, Instant eventTime, double value) {
    if (eventTime == null) {
      throw new IllegalArgumentException("event() needs an event time, got null");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(ID, quote(id));
    fields.put(KEY, quote(key));
    fields.put(TS, quote(isoInstant(eventTime, ZoneOffset.UTC)));
    fields.put(VALUE, number(value));
    return new EventJson(eventTime, fields);
  }

  /** The time the event was created with, whatever its {@code ts} field now says. */
  public Instant eventTime() {
    return eventTime;
  }

  /** Writes {@code ts} as integer epoch milliseconds instead of an ISO-8601 text. */
  public EventJson withEpochMillis() {
    return withRaw(TS, Long.toString(eventTime.getMillis()));
  }

  /**
   * Writes {@code ts} as the same instant in local time at {@code offset}, e.g. {@code +05:30}:
   * {@code 2026-11-25T15:30:03.250+05:30} for {@code 2026-11-25T10:00:03.250Z}.
   */
  public EventJson withOffset(ZoneOffset offset) {
    return withRaw(TS, quote(isoInstant(eventTime, offset)));
  }

  /** Adds (or replaces, in place) a string field. */
  public EventJson with(String field, String text) {
    return withRaw(field, quote(text));
  }

  /** Adds (or replaces, in place) an integer field. */
  public EventJson with(String field, long number) {
    return withRaw(field, Long.toString(number));
  }

  /** Adds (or replaces, in place) a finite number field. */
  public EventJson with(String field, double number) {
    return withRaw(field, number(number));
  }

  /** Adds (or replaces, in place) a boolean field. */
  public EventJson with(String field, boolean flag) {
    return withRaw(field, Boolean.toString(flag));
  }

  /**
   * Adds (or replaces, in place) a field whose value is the given JSON text, written verbatim. This
   * is how a test makes an event invalid on purpose: {@code withRaw("value", "null")}.
   */
  public EventJson withRaw(String field, String rawJson) {
    requireName(field);
    if (rawJson == null) {
      throw new IllegalArgumentException(
          "withRaw(\"" + field + "\", ...) needs JSON text, got null");
    }
    Map<String, String> copy = new LinkedHashMap<>(rawFields);
    copy.put(field, rawJson);
    return new EventJson(eventTime, copy);
  }

  /** Gives field {@code from} the name {@code to}, keeping its value and position. */
  public EventJson renamed(String from, String to) {
    requireName(to);
    if (!rawFields.containsKey(from)) {
      throw new IllegalArgumentException(
          "renamed(): no field '" + from + "'; fields are " + rawFields.keySet());
    }
    Map<String, String> copy = new LinkedHashMap<>();
    rawFields.forEach((name, raw) -> copy.put(name.equals(from) ? to : name, raw));
    return new EventJson(eventTime, copy);
  }

  /** Removes a field (e.g. to make an event that lacks its {@code id}). */
  public EventJson without(String field) {
    if (!rawFields.containsKey(field)) {
      throw new IllegalArgumentException(
          "without(): no field '" + field + "'; fields are " + rawFields.keySet());
    }
    Map<String, String> copy = new LinkedHashMap<>(rawFields);
    copy.remove(field);
    return new EventJson(eventTime, copy);
  }

  /** One JSON object on one line, fields in insertion order, no spaces. */
  public String toJson() {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> field : rawFields.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(quote(field.getKey())).append(':').append(field.getValue());
    }
    return out.append('}').toString();
  }

  /** Same as {@link #toJson()}. */
  @Override
  public String toString() {
    return toJson();
  }

  /**
   * {@code text} as a JSON string literal: quotes, backslashes and control characters escaped,
   * everything else (including non-ASCII) written as is.
   */
  public static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "JSON has no number " + value + "; use withRaw() to write an invalid value on purpose");
    }
    if (Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(-0.0)) {
      return "-0.0";
    }
    // Whole numbers as integers (21, not 21.0), like most producers write them.
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  private static String isoInstant(Instant instant, ZoneOffset offset) {
    return OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(instant.getMillis()), offset)
        .format(ISO_MILLIS);
  }

  private static void requireName(String field) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("a field needs a non-empty name, got " + field);
    }
  }
}
