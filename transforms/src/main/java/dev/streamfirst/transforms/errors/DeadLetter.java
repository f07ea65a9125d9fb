package dev.streamfirst.transforms.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.joda.time.Instant;

/**
 * An input that could not be processed, kept whole so nothing is lost: the exact payload, why it
 * failed, the stage that refused it and when.
 *
 * <pre>{@code
 * DeadLetter.of(line, "field 'ts' is missing", "parse", Instant.now()).toJson();
 * }</pre>
 */
@AutoValue
@DefaultCoder(DeadLetterCoder.class)
public abstract class DeadLetter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The original message, exactly as it arrived. */
  public abstract String payload();

  /** Why it was refused, in words. */
  public abstract String error();

  /** Which stage refused it, e.g. {@code parse}. */
  public abstract String stage();

  /** When it was refused (processing time). */
  public abstract Instant timestamp();

  public static DeadLetter of(String payload, String error, String stage, Instant timestamp) {
    return new AutoValue_DeadLetter(payload, error, stage, timestamp);
  }

  /** One JSON object with {@code payload}, {@code error}, {@code stage} and {@code timestamp}. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("payload", payload());
    node.put("error", error());
    node.put("stage", stage());
    node.put("timestamp", timestamp().toString());
    return node.toString();
  }
}
