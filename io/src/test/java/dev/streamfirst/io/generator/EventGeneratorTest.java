package dev.streamfirst.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.generator.EventGenerator.Malformation;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.events.EventParser;
import dev.streamfirst.transforms.events.InvalidEventException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

public class EventGeneratorTest {
  private static final EventParser PARSER = new EventParser(EventFields.defaults());

  private static EventGenerator generator(String query) {
    return new EventGenerator(GeneratorSpec.parse("generator://events?" + query));
  }

  @Test
  public void sameSeed_sameMessages() {
    String query = "count=500&seed=11&duplicates=0.1&malformed=0.1&late=0.1&disorder=3s";

    assertEquals(generator(query).payloads(), generator(query).payloads());
  }

  @Test
  public void defaultSeed_givesTheseExactMessages() {
    // Pinned: the sequence must not change with the JVM, the runner or a refactoring.
    assertEquals(
        List.of(
            "{\"id\":\"e-0\",\"key\":\"key-3\",\"ts\":\"2026-01-01T00:00:00.000Z\",\"value\":70.24}",
            "{\"id\":\"e-1\",\"key\":\"key-0\",\"ts\":\"2026-01-01T00:00:00.010Z\",\"value\":10.13}",
            "{\"id\":\"e-2\",\"key\":\"key-1\",\"ts\":\"2026-01-01T00:00:00.020Z\",\"value\":68.51}",
            "{\"id\":\"e-3\",\"key\":\"key-8\",\"ts\":\"2026-01-01T00:00:00.030Z\",\"value\":0.45}"),
        generator("count=4").payloads());
  }

  @Test
  public void differentSeed_differentMessages() {
    List<String> one = generator("count=100&seed=1").payloads();
    List<String> two = generator("count=100&seed=2").payloads();

    int same = 0;
    for (int i = 0; i < one.size(); i++) {
      same += one.get(i).equals(two.get(i)) ? 1 : 0;
    }
    // A message repeats across seeds only if key and value both collide (about 1 in 100,000).
    assertThat(same, lessThanOrEqualTo(1));
  }

  @Test
  public void message_isTheCanonicalEvent() throws InvalidEventException {
    EventGenerator generator = generator("count=2000&keys=7");

    for (long i = 0; i < generator.size(); i++) {
      String message = generator.message(i);
      assertThat(
          message,
          matchesPattern(
              "\\{\"id\":\"e-"
                  + i
                  + "\",\"key\":\"key-[0-6]\",\"ts\":\"2026-01-01T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\","
                  + "\"value\":\\d{1,2}\\.\\d{2}\\}"));
      Event event = PARSER.parse(message);
      assertEquals(generator.eventTime(i), event.timestamp());
      assertThat(event.value(), both(greaterThanOrEqualTo(0.0)).and(lessThan(100.0)));
    }
  }

  @Test
  public void keys_allAppear() {
    EventGenerator generator = generator("count=1000&keys=5");
    HashSet<String> keys = new HashSet<>();
    for (long i = 0; i < generator.size(); i++) {
      keys.add(generator.message(i).replaceAll(".*\"key\":\"(key-\\d+)\".*", "$1"));
    }

    assertEquals(new HashSet<>(List.of("key-0", "key-1", "key-2", "key-3", "key-4")), keys);
  }

  @Test
  public void eventTimes_areStartPlusIndexTimesInterval() {
    EventGenerator generator = generator("count=5&start=2026-05-01T12:00:00Z&interval=250ms");

    assertEquals(Instant.parse("2026-05-01T12:00:00Z"), generator.eventTime(0));
    assertEquals(Instant.parse("2026-05-01T12:00:01Z"), generator.eventTime(4));
    assertThat(generator.message(4), containsString("\"ts\":\"2026-05-01T12:00:01.000Z\""));
  }

  @Test
  public void disorder_movesEventTimesBackWithinBoundAndNeverBehindTheWatermark() {
    EventGenerator generator = generator("count=5000&disorder=2s");
    long start = generator.spec().start().getMillis();
    int moved = 0;

    for (long i = 0; i < generator.size(); i++) {
      long nominal = start + i * 10;
      long time = generator.eventTime(i).getMillis();
      assertThat(time, both(greaterThanOrEqualTo(nominal - 2000)).and(lessThanOrEqualTo(nominal)));
      assertThat(time, greaterThanOrEqualTo(generator.watermarkAt(i).getMillis()));
      moved += time < nominal ? 1 : 0;
    }
    assertThat(moved, greaterThanOrEqualTo(4900));
  }

  @Test
  public void lateEvents_lieLateByBehindTheWatermark() {
    EventGenerator generator = generator("count=2000&late=0.3&lateBy=90s&disorder=1s");
    int late = 0;

    for (long i = 0; i < generator.size(); i++) {
      if (generator.isLate(i)) {
        late++;
        assertEquals(
            generator.watermarkAt(i).minus(Duration.standardSeconds(90)), generator.eventTime(i));
      } else {
        assertThat(generator.eventTime(i), greaterThanOrEqualTo(generator.watermarkAt(i)));
      }
    }
    assertThat(late, both(greaterThanOrEqualTo(500)).and(lessThanOrEqualTo(700)));
  }

  @Test
  public void fractions_areRoughlyRespected() {
    EventGenerator generator = generator("count=10000&duplicates=0.1&late=0.05&malformed=0.2");
    int duplicated = 0;
    int late = 0;
    int malformed = 0;

    for (long i = 0; i < generator.size(); i++) {
      duplicated += generator.isDuplicated(i) ? 1 : 0;
      late += generator.isLate(i) ? 1 : 0;
      malformed += generator.malformation(i) != null ? 1 : 0;
    }

    // Each bound is about five standard deviations wide.
    assertThat(duplicated, both(greaterThanOrEqualTo(850)).and(lessThanOrEqualTo(1150)));
    assertThat(late, both(greaterThanOrEqualTo(390)).and(lessThanOrEqualTo(610)));
    assertThat(malformed, both(greaterThanOrEqualTo(1800)).and(lessThanOrEqualTo(2200)));
    assertEquals(10000 + duplicated, generator.payloads().size());
  }

  @Test
  public void noFractions_meansCleanInOrderOutput() {
    EventGenerator generator = generator("count=300");
    List<String> payloads = generator.payloads();

    assertEquals(300, payloads.size());
    assertEquals(300, new HashSet<>(payloads).size());
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(payloads.get(i), containsString("\"id\":\"e-" + i + "\""));
    }
  }

  @Test
  public void copies_areByteIdenticalAndOneToThreePositionsLater() {
    EventGenerator generator = generator("count=3000&duplicates=0.3&malformed=0.1&disorder=1s");
    List<String> payloads = generator.payloads();

    for (long index = 0; index < generator.size(); index++) {
      long i = index;
      int times = Collections.frequency(payloads, generator.message(i));
      if (generator.isDuplicated(i)) {
        assertEquals("message " + i, 2, times);
        long at = generator.copyPosition(i);
        long latest = Math.min(i + EventGenerator.MAX_COPY_DELAY, generator.size() - 1);
        assertThat(
            at, both(greaterThanOrEqualTo(Math.min(i + 1, latest))).and(lessThanOrEqualTo(latest)));
        long[] delivered = generator.deliveredAt(at);
        assertTrue(Arrays.stream(delivered).skip(1).anyMatch(j -> j == i));
      } else {
        assertEquals("message " + i, 1, times);
        assertEquals(-1, generator.copyPosition(i));
      }
    }
  }

  @Test
  public void malformedMessages_areReallyInvalidEvents() {
    EventGenerator generator = generator("count=3000&malformed=0.5");
    Map<Malformation, Integer> kinds = new EnumMap<>(Malformation.class);
    Map<Malformation, String> reasons =
        Map.of(
            Malformation.NOT_JSON, "not valid JSON",
            Malformation.ARRAY, "expected a JSON object, got an array",
            Malformation.MISSING_TS, "field 'ts' is missing",
            Malformation.VALUE_AS_STRING, "field 'value' must be a finite number, got a string",
            Malformation.EMPTY_ID, "field 'id' must be a non-empty string");

    for (long i = 0; i < generator.size(); i++) {
      Malformation kind = generator.malformation(i);
      String message = generator.message(i);
      if (kind == null) {
        try {
          PARSER.parse(message);
        } catch (InvalidEventException e) {
          throw new AssertionError("message " + i + " should be valid: " + message, e);
        }
        continue;
      }
      kinds.merge(kind, 1, Integer::sum);
      InvalidEventException e =
          assertThrows(InvalidEventException.class, () -> PARSER.parse(message));
      assertThat(message, e.getMessage(), containsString(reasons.get(kind)));
    }
    assertEquals(Malformation.values().length, kinds.size());
  }

  @Test
  public void changingOneFraction_leavesOtherMessagesAlone() {
    EventGenerator clean = generator("count=1000&seed=3");
    EventGenerator dirty = generator("count=1000&seed=3&malformed=0.2");

    for (long i = 0; i < clean.size(); i++) {
      if (dirty.malformation(i) == null) {
        assertEquals(clean.message(i), dirty.message(i));
      } else {
        assertNotEquals(clean.message(i), dirty.message(i));
      }
    }
  }

  @Test
  public void endlessGenerator_hasNoCompleteList() {
    EventGenerator generator = generator("rate=10");

    assertEquals(Long.MAX_VALUE, generator.size());
    assertThrows(IllegalStateException.class, generator::payloads);
    assertNull(generator.malformation(1_000_000_000L));
  }

  @Test
  public void indexOutsideCount_isRefused() {
    assertThrows(IndexOutOfBoundsException.class, () -> generator("count=3").message(3));
  }
}
