package dev.streamfirst.transforms.events;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.time.format.DateTimeParseException;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Turns one JSON text into an {@link Event}, or says precisely why it cannot.
 *
 * <p>Plain Java, no Beam: the same rules serve {@link ParseEvents}, tests and tools that check
 * inputs offline.
 *
 * <pre>{@code
 * Event e = new EventParser(EventFields.defaults()).parse(line); // throws InvalidEventException
 * }</pre>
 */
public final class EventParser implements Serializable {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final String BOM = "\uFEFF";

  private final EventFields fields;

  public EventParser(EventFields fields) {
    this.fields = fields;
  }

  public EventFields fields() {
    return fields;
  }

  /**
   * Parses one event.
   *
   * @throws InvalidEventException with a reason fit for a dead letter
   */
  public Event parse(String payload) throws InvalidEventException {
    Event event = parseCommonCase(payload);
    return event != null ? event : parseWithTree(payload);
  }

  /**
   * The JSON text of a payload: without a leading byte order mark. RFC 8259 lets parsers ignore
   * one, and Windows tools write it; the event's payload keeps it, exactly as it came.
   */
  private static String json(String payload) {
    return payload.startsWith(BOM) ? payload.substring(1) : payload;
  }

  /**
   * The common case, read token by token without building a tree: a JSON object whose fields are
   * all well-formed. Returns null at the first thing that is not, so {@link #parseWithTree} decides
   * — and explains — everything else; both accept exactly the same events. Building the tree was
   * most of the cost of parsing.
   */
  Event parseCommonCase(String payload) {
    try (JsonParser p = JSON.createParser(json(payload))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      String key = null;
      long millis = 0;
      boolean hasTimestamp = false;
      double value = 0;
      boolean hasValue = false;
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        boolean used = false;
        // Not else-if: one field may play several roles.
        if (name.equals(fields.idField())) {
          id = nonEmptyText(p, v);
          if (id == null) {
            return null;
          }
          used = true;
        }
        if (name.equals(fields.keyField())) {
          key = nonEmptyText(p, v);
          if (key == null) {
            return null;
          }
          used = true;
        }
        if (name.equals(fields.timestampField())) {
          if (v == JsonToken.VALUE_NUMBER_INT
              && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            millis = p.getLongValue();
          } else if (v == JsonToken.VALUE_STRING) {
            millis = IsoTimestamps.toEpochMillis(p.getText());
          } else {
            return null;
          }
          hasTimestamp = true;
          used = true;
        }
        if (name.equals(fields.valueField())) {
          if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            value = p.getDoubleValue();
          } else if (v == JsonToken.VALUE_NUMBER_INT) {
            // As the tree's integer nodes convert: int, long or BigInteger to double.
            value =
                switch (p.getNumberType()) {
                  case INT -> p.getIntValue();
                  case LONG -> p.getLongValue();
                  default -> p.getBigIntegerValue().doubleValue();
                };
          } else {
            return null;
          }
          if (!Double.isFinite(value)) {
            return null;
          }
          hasValue = true;
          used = true;
        }
        if (!used) {
          p.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT
          || p.nextToken() != null
          || id == null
          || key == null
          || !hasTimestamp
          || !hasValue
          || millis < BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()
          || millis > BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis()) {
        return null;
      }
      return Event.of(id, key, Instant.ofEpochMilli(millis), value, payload);
    } catch (IOException | RuntimeException e) {
      // Malformed, duplicated, out of range: the tree path says which.
      return null;
    }
  }

  private static String nonEmptyText(JsonParser p, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      return null;
    }
    String text = p.getText();
    return text.isEmpty() || unpairedSurrogate(text) >= 0 ? null : text;
  }

  /**
   * The index of the first UTF-16 surrogate in {@code text} without its partner, or -1. JSON can
   * write one as an escape ({@code "\ud800"}); such a string has no UTF-8 form, so every coder and
   * sink would silently turn it into {@code ?}: an id or key would change on its way.
   */
  static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** A hint for payloads that are not JSON because they are not UTF-8 text at all. */
  private static String hint(String payload) {
    int nul = payload.indexOf('\u0000');
    if (nul < 0) {
      return "";
    }
    boolean utf16 =
        payload.length() >= 4
            && ((payload.charAt(1) == '\u0000' && payload.charAt(3) == '\u0000')
                || (payload.charAt(0) == '\u0000' && payload.charAt(2) == '\u0000'));
    return utf16
        ? "; it contains NUL characters in every other place: UTF-16 text? send UTF-8"
        : "; it contains a NUL character at index " + nul;
  }

  /** Parses with a tree of the whole payload, explaining precisely what is wrong with it. */
  Event parseWithTree(String payload) throws InvalidEventException {
    JsonNode root;
    try {
      root = JSON.readTree(json(payload));
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("not valid JSON: " + describe(e) + hint(payload));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(
          "expected a JSON object, got " + (root == null ? "nothing" : describe(root)));
    }
    String id = requireText(root, fields.idField());
    String key = requireText(root, fields.keyField());
    Instant timestamp = requireTimestamp(root, fields.timestampField());
    double value = requireNumber(root, fields.valueField());
    return Event.of(id, key, timestamp, value, payload);
  }

  /**
   * Reads only the event time of a payload, by the same rules as {@link #parse}: for a source that
   * stamps messages with their event time before they are parsed (and for its watermark).
   *
   * @throws InvalidEventException if the payload is not a JSON object or its time field is missing
   *     or invalid; the other fields are not checked
   */
  public Instant eventTime(String payload) throws InvalidEventException {
    JsonNode root;
    try {
      root = JSON.readTree(json(payload));
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(
          "expected a JSON object, got " + (root == null ? "nothing" : describe(root)));
    }
    return requireTimestamp(root, fields.timestampField());
  }

  private static String requireText(JsonNode root, String field) throws InvalidEventException {
    JsonNode node = present(root, field);
    if (!node.isTextual()) {
      throw new InvalidEventException(
          "field '" + field + "' must be a non-empty string, got " + describe(node));
    }
    if (node.textValue().isEmpty()) {
      throw new InvalidEventException("field '" + field + "' must be a non-empty string, got \"\"");
    }
    int surrogate = unpairedSurrogate(node.textValue());
    if (surrogate >= 0) {
      throw new InvalidEventException(
          String.format(
              "field '%s' contains an unpaired surrogate escape \\u%04x at index %d; no UTF-8"
                  + " text can hold it",
              field, (int) node.textValue().charAt(surrogate), surrogate));
    }
    return node.textValue();
  }

  private static Instant requireTimestamp(JsonNode root, String field)
      throws InvalidEventException {
    JsonNode node = present(root, field);
    long millis;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      millis = node.longValue();
    } else if (node.isIntegralNumber()) {
      throw new InvalidEventException("field '" + field + "' is outside the supported time range");
    } else if (node.isTextual()) {
      try {
        millis = IsoTimestamps.toEpochMillis(node.textValue());
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new InvalidEventException(
            "field '"
                + field
                + "' must be an ISO-8601 instant with an offset (2026-11-25T10:00:03.250Z) or"
                + " epoch milliseconds, got \""
                + node.textValue()
                + "\"");
      }
    } else {
      throw new InvalidEventException(
          "field '"
              + field
              + "' must be an ISO-8601 instant with an offset or integer epoch milliseconds, got "
              + describe(node));
    }
    if (millis < BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()
        || millis > BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis()) {
      throw new InvalidEventException("field '" + field + "' is outside the supported time range");
    }
    return Instant.ofEpochMilli(millis);
  }

  private static double requireNumber(JsonNode root, String field) throws InvalidEventException {
    JsonNode node = present(root, field);
    if (!node.isNumber()) {
      throw new InvalidEventException(
          "field '" + field + "' must be a finite number, got " + describe(node));
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      throw new InvalidEventException(
          "field '" + field + "' must be a finite number, got " + node.asText());
    }
    return value;
  }

  private static JsonNode present(JsonNode root, String field) throws InvalidEventException {
    JsonNode node = root.get(field);
    if (node == null) {
      throw new InvalidEventException("field '" + field + "' is missing");
    }
    return node;
  }

  /** Jackson's reason in one line, without the payload it quotes: the dead letter has that. */
  private static String describe(JsonProcessingException e) {
    String reason = e.getOriginalMessage();
    int cut = reason.indexOf('\n');
    reason = cut < 0 ? reason : reason.substring(0, cut);
    int marker = reason.indexOf(" (start marker");
    reason = marker < 0 ? reason : reason.substring(0, marker);
    JsonLocation at = e.getLocation();
    return at == null || at.getColumnNr() < 0
        ? reason
        : reason + " (at column " + at.getColumnNr() + ")";
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase();
    };
  }
}
