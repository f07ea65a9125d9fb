package dev.streamfirst.testing.kit;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import dev.streamfirst.testing.fuzz.MalformedPayload;
import java.nio.charset.StandardCharsets;
import org.joda.time.Instant;

/**
 * Canonical events for tests: valid ones ({@link #event}), and one malformed message of each kind
 * the parser must refuse ({@link #malformed}, from the fuzz corpus {@link MalformedPayload}), and a
 * {@link #stream()} to put them on a timeline.
 *
 * <pre>{@code
 * String bad = malformed(MalformedPayload.NOT_JSON, "bad-1", at("10:00"));
 * TestStream<String> input = stream()
 *     .add(event("c-1", "user-1", at("10:00:05"), 1))
 *     .addLines(at("10:00:06"), bad)
 *     .advanceWatermarkToInfinity();
 * }</pre>
 */
public final class Events {
  private Events() {}

  /**
   * A valid event: {@code {"id":..,"key":..,"ts":..,"value":..}}; add fields with {@link
   * EventJson#with}.
   */
  public static EventJson event(String id, String key, Instant time, double value) {
    return EventJson.event(id, key, time, value);
  }

  /**
   * One malformed message of {@code kind} as the text a source hands the pipeline. Kinds made of
   * bytes that are not UTF-8 ({@code INVALID_UTF8_*}, {@code BINARY_GARBAGE}) arrive with those
   * bytes replaced, as a text source decodes them; {@link MalformedPayload#outcome()} says what the
   * parser does with each kind.
   */
  public static String malformed(MalformedPayload kind, String id, Instant time) {
    if (kind == null) {
      throw new IllegalArgumentException("malformed() needs a MalformedPayload kind, got null");
    }
    byte[] bytes = kind.bytes(id, java.time.Instant.ofEpochMilli(time.getMillis()));
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** An empty timeline of JSON lines: add events, move the watermark and processing time. */
  public static EventTestStream stream() {
    return EventTestStream.create();
  }
}
