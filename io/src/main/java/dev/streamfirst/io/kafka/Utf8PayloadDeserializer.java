package dev.streamfirst.io.kafka;

import dev.streamfirst.transforms.events.Payloads;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a record value as text without ever replacing a byte: valid UTF-8 becomes its text, and
 * anything else the marked base64 form of {@link Payloads}, which parsing turns into a dead letter
 * with the exact bytes. Kafka's own {@code StringDeserializer} would turn latin-1 or UTF-16 into
 * U+FFFD characters, and a latin-1 key into a different, valid key.
 */
public final class Utf8PayloadDeserializer implements Deserializer<String> {
  @Override
  public String deserialize(String topic, byte[] data) {
    return data == null ? null : Payloads.fromBytes(data);
  }
}
