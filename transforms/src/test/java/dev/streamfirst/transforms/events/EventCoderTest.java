package dev.streamfirst.transforms.events;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EventCoderTest {
  private static final Coder<Event> CODER = EventCoder.of();
  private static final Instant T = Instant.parse("2026-11-25T10:00:03.250Z");

  private static final List<Event> EVENTS =
      Arrays.asList(
          Event.of("e-1", "sensor-7", T, 21.5, "{\"id\":\"e-1\"}"),
          Event.of("événement ①", "датчик \"7\", 東京 🌡", T, -0.0, "  {\"a\":\n\"b\"}\t"),
          Event.of("x", "k", BoundedWindow.TIMESTAMP_MIN_VALUE, -Double.MAX_VALUE, ""),
          Event.of("x", "k", BoundedWindow.TIMESTAMP_MAX_VALUE, Double.MIN_VALUE, "p"),
          Event.of("x", "k", new Instant(-1), 1e-300, "p"),
          Event.of("long", "k", T, 1, "x".repeat(100_000)));

  @Test
  public void roundTrip_preservesEveryField() throws Exception {
    for (Event event : EVENTS) {
      CoderProperties.coderDecodeEncodeEqual(CODER, event);
      Event decoded = CoderUtils.clone(CODER, event);
      assertEquals(event.payload(), decoded.payload());
      assertEquals(
          Double.doubleToRawLongBits(event.value()), Double.doubleToRawLongBits(decoded.value()));
    }
  }

  @Test
  public void equalEvents_encodeToEqualBytes() throws Exception {
    for (Event event : EVENTS) {
      Event copy =
          Event.of(
              new String(event.id()),
              new String(event.key()),
              new Instant(event.timestamp().getMillis()),
              event.value(),
              new String(event.payload()));
      CoderProperties.coderDeterministic(CODER, event, copy);
    }
  }

  @Test
  public void encoding_isConsistentWithEquals_asTheCoderClaims() throws Exception {
    Event a = EVENTS.get(0);
    CoderProperties.coderConsistentWithEquals(
        CODER, a, Event.of("e-1", "sensor-7", T, 21.5, "{\"id\":\"e-1\"}"));
    CoderProperties.coderConsistentWithEquals(
        CODER, a, Event.of("e-1", "sensor-7", T, 21.5, "{\"id\":\"e-2\"}"));
    CoderProperties.coderConsistentWithEquals(
        CODER, a, Event.of("e-1", "sensor-7", T, -21.5, "{\"id\":\"e-1\"}"));
    CoderProperties.coderConsistentWithEquals(
        CODER, Event.of("z", "k", T, 0.0, "p"), Event.of("z", "k", T, -0.0, "p"));
  }

  @Test
  public void fieldBoundaries_areUnambiguous() throws Exception {
    // The same characters split differently between id and key must not encode alike.
    Event ab = Event.of("ab", "c", T, 1, "p");
    Event abSplit = Event.of("a", "bc", T, 1, "p");

    CoderProperties.coderConsistentWithEquals(CODER, ab, abSplit);
    assertEquals(ab, CoderUtils.clone(CODER, ab));
    assertEquals(abSplit, CoderUtils.clone(CODER, abSplit));
  }

  @Test
  public void structuralValue_isConsistentWithEquals() throws Exception {
    CoderProperties.structuralValueConsistentWithEquals(CODER, EVENTS.get(0), EVENTS.get(1));
    CoderProperties.structuralValueConsistentWithEquals(
        CODER, EVENTS.get(0), Event.of("e-1", "sensor-7", T, 21.5, "{\"id\":\"e-1\"}"));
  }

  @Test
  public void coder_isSerializable() throws Exception {
    CoderProperties.coderSerializable(CODER);
  }
}
