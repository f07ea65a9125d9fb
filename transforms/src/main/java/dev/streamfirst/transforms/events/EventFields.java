package dev.streamfirst.transforms.events;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * Names of the JSON fields that carry an event's id, key, event time and value.
 *
 * <pre>{@code
 * EventFields fields = EventFields.defaults().withTimestampField("event_time");
 * }</pre>
 */
@AutoValue
public abstract class EventFields implements Serializable {

  public abstract String idField();

  public abstract String keyField();

  public abstract String timestampField();

  public abstract String valueField();

  /** {@code id}, {@code key}, {@code ts}, {@code value}: the canonical event's names. */
  public static EventFields defaults() {
    return of("id", "key", "ts", "value");
  }

  public static EventFields of(
      String idField, String keyField, String timestampField, String valueField) {
    checkName("idField", idField);
    checkName("keyField", keyField);
    checkName("timestampField", timestampField);
    checkName("valueField", valueField);
    return new AutoValue_EventFields(idField, keyField, timestampField, valueField);
  }

  public EventFields withIdField(String name) {
    return of(name, keyField(), timestampField(), valueField());
  }

  public EventFields withKeyField(String name) {
    return of(idField(), name, timestampField(), valueField());
  }

  public EventFields withTimestampField(String name) {
    return of(idField(), keyField(), name, valueField());
  }

  public EventFields withValueField(String name) {
    return of(idField(), keyField(), timestampField(), name);
  }

  private static void checkName(String what, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          what + " must name a JSON field, got " + (name == null ? "null" : "'" + name + "'"));
    }
  }
}
