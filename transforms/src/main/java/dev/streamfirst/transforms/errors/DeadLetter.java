package dev.streamfirst.transforms.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * An input that could not be processed, kept whole so nothing is lost: the exact payload, why it
 * failed, the stage that refused it and when.
 *
 * <p>A payload that is not valid UTF-8 cannot be held as text without replacing bytes, so it is
 * held as base64 and flagged ({@link PayloadEncoding#BASE64}); {@link #payloadBytes()} gives the
 * exact bytes either way.
 *
 * <pre>{@code
 * DeadLetter.of(line, "field 'ts' is missing", "parse", Instant.now()).toJson();
 * DeadLetter.ofBytes(raw, "payload is not valid UTF-8: ...", "parse", Instant.now()).toJson();
 * }</pre>
 */
@AutoValue
@DefaultCoder(DeadLetterCoder.class)
public abstract class DeadLetter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How {@link #payload()} holds the original message. */
  public enum PayloadEncoding {
    /** The payload is the message's text (it was valid UTF-8). */
    TEXT,
    /** The payload is the base64 of the message's bytes (they were not valid UTF-8). */
    BASE64
  }

  /** The original message, exactly as it arrived: its text, or its bytes as base64. */
  public abstract String payload();

  /** Why it was refused, in words. */
  public abstract String error();

  /** Which stage refused it, e.g. {@code parse}. */
  public abstract String stage();

  /** When it was refused (processing time). */
  public abstract Instant timestamp();

  /** Whether {@link #payload()} is text or base64. */
  public abstract PayloadEncoding payloadEncoding();

  /** A dead letter whose payload is text. */
  public static DeadLetter of(String payload, String error, String stage, Instant timestamp) {
    return new AutoValue_DeadLetter(payload, error, stage, timestamp, PayloadEncoding.TEXT);
  }

  /** A dead letter holding bytes that are not (or need not be) text, as base64. */
  public static DeadLetter ofBytes(byte[] payload, String error, String stage, Instant timestamp) {
    return new AutoValue_DeadLetter(
        Base64.getEncoder().encodeToString(payload),
        error,
        stage,
        timestamp,
        PayloadEncoding.BASE64);
  }

  /** As {@link #of}, with the payload's encoding given (for coders and readers). */
  public static DeadLetter of(
      String payload, String error, String stage, Instant timestamp, PayloadEncoding encoding) {
    return new AutoValue_DeadLetter(payload, error, stage, timestamp, encoding);
  }

  /** The original message's exact bytes. */
  public byte[] payloadBytes() {
    return switch (payloadEncoding()) {
      case TEXT -> payload().getBytes(StandardCharsets.UTF_8);
      case BASE64 -> Base64.getDecoder().decode(payload());
    };
  }

  /**
   * One JSON object with {@code payload}, {@code error}, {@code stage} and {@code timestamp}; and
   * {@code "payloadEncoding":"base64"} when the payload is base64. Without that field the payload
   * is the message's text, as it has always been.
   */
  public String toJson() {
    return toJson(null);
  }

  /**
   * As {@link #toJson()}, with {@code "jobId"} (the run that refused the input) when {@code jobId}
   * is not null. The id is added as the letter is written, not carried in the letter itself, so
   * {@link DeadLetterCoder}'s format, and with it a savepoint's state, stays as it was.
   */
  public String toJson(@Nullable String jobId) {
    ObjectNode node = JSON.createObjectNode();
    node.put("payload", payload());
    if (payloadEncoding() == PayloadEncoding.BASE64) {
      node.put("payloadEncoding", "base64");
    }
    node.put("error", error());
    node.put("stage", stage());
    node.put("timestamp", timestamp().toString());
    if (jobId != null) {
      node.put("jobId", jobId);
    }
    return node.toString();
  }
}
