package dev.streamfirst.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * The fields a result row must have; fields not named are not checked. Numbers match by value
 * ({@code 2} matches {@code 2.0}), instants match ISO-8601 text, strings and booleans match
 * exactly.
 *
 * <pre>{@code
 * rows.inOnTimePane(window(at("10:00"), minutes(1))).containsRows(
 *     row("key", "user-1", "count", 2, "sum", 3.5));
 * }</pre>
 */
public final class ExpectedRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LinkedHashMap<String, Object> fields;

  private ExpectedRow(LinkedHashMap<String, Object> fields) {
    this.fields = fields;
  }

  /**
   * A row with these fields: names and values in turn, {@code row("key", "u1", "count", 2)}.
   *
   * @throws IllegalArgumentException when names and values do not pair up, a name is not a string
   *     or a value is not a string, number, boolean, instant or null
   */
  public static ExpectedRow row(Object... namesAndValues) {
    if (namesAndValues.length == 0 || namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "row() takes field names and values in turn, e.g. row(\"key\", \"u1\", \"count\", 2);"
              + " got "
              + namesAndValues.length
              + " arguments");
    }
    LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (!(namesAndValues[i] instanceof String name)) {
        throw new IllegalArgumentException(
            "row(): argument " + i + " must be a field name, got " + namesAndValues[i]);
      }
      Object value = namesAndValues[i + 1];
      if (value instanceof ReadableInstant instant) {
        value = new Instant(instant.getMillis());
      } else if (value != null
          && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new IllegalArgumentException(
            "row(): field '"
                + name
                + "' must be a string, number, boolean, instant or null, got "
                + value.getClass().getSimpleName());
      }
      fields.put(name, value);
    }
    return new ExpectedRow(fields);
  }

  public Map<String, Object> fields() {
    return Collections.unmodifiableMap(fields);
  }

  /** Whether {@code actual} (a JSON object) has every field named here, with its value. */
  public boolean matches(JsonNode actual) {
    if (actual == null || !actual.isObject()) {
      return false;
    }
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      JsonNode value = actual.get(field.getKey());
      if (value == null || !valueMatches(field.getValue(), value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean valueMatches(Object expected, JsonNode actual) {
    if (expected == null) {
      return actual.isNull();
    }
    if (expected instanceof Number number) {
      return actual.isNumber() && Double.compare(number.doubleValue(), actual.doubleValue()) == 0;
    }
    if (expected instanceof Boolean flag) {
      return actual.isBoolean() && actual.booleanValue() == flag;
    }
    if (expected instanceof Instant instant) {
      if (!actual.isTextual()) {
        return false;
      }
      try {
        return java.time.Instant.parse(actual.textValue()).toEpochMilli() == instant.getMillis();
      } catch (RuntimeException e) {
        return false;
      }
    }
    return actual.isTextual() && actual.textValue().equals(expected);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExpectedRow row && row.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return fields.toString();
  }
}
