package dev.streamfirst.transforms.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.joda.time.Instant;

/**
 * A change of an alert's state for one key: it opened or it resolved, when (in event time), by
 * which rule and why. Each alert opens once and resolves once.
 *
 * <pre>{@code
 * Alert.opened("sensor-7", "mean > 80 for 3 windows", at, "mean 85.5 in [10:02, 10:03)").toJson();
 * }</pre>
 */
@AutoValue
public abstract class Alert implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the alert opened or resolved. */
  public enum Status {
    OPEN,
    RESOLVED
  }

  public abstract String key();

  /** The rule, as written, e.g. {@code mean > 80 for 3 windows} or {@code no events for 5m}. */
  public abstract String rule();

  public abstract Status status();

  /** When it happened, in event time. */
  public abstract Instant at();

  /** Why, in words. */
  public abstract String detail();

  public static Alert of(String key, String rule, Status status, Instant at, String detail) {
    return new AutoValue_Alert(key, rule, status, at, detail);
  }

  public static Alert opened(String key, String rule, Instant at, String detail) {
    return of(key, rule, Status.OPEN, at, detail);
  }

  public static Alert resolved(String key, String rule, Instant at, String detail) {
    return of(key, rule, Status.RESOLVED, at, detail);
  }

  /** One JSON object: {@code key}, {@code rule}, {@code status}, {@code at}, {@code detail}. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", key());
    node.put("rule", rule());
    node.put("status", status().name());
    node.put("at", at().toString());
    node.put("detail", detail());
    return node.toString();
  }
}
