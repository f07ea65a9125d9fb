package dev.streamfirst.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

public class GeneratorSpecTest {

  private static String refusal(String uri) {
    return assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.parse(uri))
        .getMessage();
  }

  @Test
  public void countOnly_takesEveryDefault() {
    GeneratorSpec spec = GeneratorSpec.parse("generator://events?count=5");

    assertEquals(Long.valueOf(5), spec.count());
    assertNull(spec.rate());
    assertFalse(spec.isUnbounded());
    assertEquals(42, spec.seed());
    assertEquals(10, spec.keys());
    assertEquals(0.0, spec.duplicates(), 0);
    assertEquals(Duration.ZERO, spec.disorder());
    assertEquals(0.0, spec.late(), 0);
    assertEquals(Duration.standardMinutes(1), spec.lateBy());
    assertEquals(0.0, spec.malformed(), 0);
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), spec.start());
    assertEquals(10_000_000L, spec.intervalNanos());
  }

  @Test
  public void everyParameter_isRead() {
    GeneratorSpec spec =
        GeneratorSpec.parse(
            "generator://events?count=7&seed=-3&keys=4&duplicates=0.25&disorder=2s&late=0.5"
                + "&lateBy=30s&malformed=1&start=2026-03-01T10:00:00%2B01:00&interval=250ms");

    assertEquals(-3, spec.seed());
    assertEquals(4, spec.keys());
    assertEquals(0.25, spec.duplicates(), 0);
    assertEquals(Duration.standardSeconds(2), spec.disorder());
    assertEquals(0.5, spec.late(), 0);
    assertEquals(Duration.standardSeconds(30), spec.lateBy());
    assertEquals(1.0, spec.malformed(), 0);
    assertEquals(Instant.parse("2026-03-01T09:00:00Z"), spec.start());
    assertEquals(250_000_000L, spec.intervalNanos());
  }

  @Test
  public void rate_makesItUnboundedStartingNowAtOneOverRate() {
    Instant before = Instant.now();
    GeneratorSpec spec = GeneratorSpec.parse("generator://events?rate=3000");
    Instant after = Instant.now();

    assertTrue(spec.isUnbounded());
    assertNull(spec.count());
    assertEquals(333_333L, spec.intervalNanos());
    assertFalse(spec.start().isBefore(before));
    assertFalse(spec.start().isAfter(after));
  }

  @Test
  public void rateWithExplicitIntervalAndStart_keepsThem() {
    GeneratorSpec spec =
        GeneratorSpec.parse(
            "generator://events?rate=10&count=3&interval=1s&start=2026-01-02T00:00:00Z");

    assertEquals(1_000_000_000L, spec.intervalNanos());
    assertEquals(Instant.parse("2026-01-02T00:00:00Z"), spec.start());
    assertEquals(Long.valueOf(3), spec.count());
  }

  @Test
  public void toUri_parsesBackToTheSameSpec() {
    for (String uri :
        new String[] {
          "generator://events?count=5",
          "generator://events?rate=3000",
          "generator://events?rate=0.5&count=9&duplicates=0.0001&late=1&malformed=0.3",
          "generator://events?count=100&seed=9&keys=3&disorder=1500ms&lateBy=2h&interval=1d"
        }) {
      GeneratorSpec spec = GeneratorSpec.parse(uri);
      assertEquals(uri, spec, GeneratorSpec.parse(spec.toUri()));
    }
  }

  @Test
  public void neitherCountNorRate_isRefused() {
    String message = refusal("generator://events?seed=1");

    assertThat(message, containsString("needs count=N (bounded) or rate=R"));
    assertThat(message, containsString("generator://events?count=1000"));
  }

  @Test
  public void unknownParameter_isNamedWithTheKnownOnes() {
    String message = refusal("generator://events?count=5&cuont=3");

    assertThat(message, containsString("unknown generator parameter 'cuont'"));
    assertThat(message, containsString("known: count, rate, seed, keys, duplicates"));
    assertThat(message, containsString("e.g. generator://events?count=1000"));
  }

  @Test
  public void fractionAboveOne_isRefused() {
    String message = refusal("generator://events?count=5&duplicates=1.5");

    assertThat(message, containsString("'duplicates' must be a fraction in [0, 1], got 1.5"));
    assertThat(message, containsString("e.g. generator://events?count=1000&duplicates=0.05"));
  }

  @Test
  public void negativeFraction_isRefused() {
    String message = refusal("generator://events?count=5&late=-0.1");

    assertThat(message, containsString("'late' must be a fraction in [0, 1], got '-0.1'"));
  }

  @Test
  public void nonPositiveCount_isRefused() {
    assertThat(
        refusal("generator://events?count=0"),
        containsString("'count' must be a positive whole number, got '0'"));
    assertThat(
        refusal("generator://events?count=-4"),
        containsString("'count' must be a positive whole number, got '-4'"));
    assertThat(
        refusal("generator://events?count=ten"),
        containsString("'count' must be a positive whole number, got 'ten'"));
  }

  @Test
  public void nonPositiveRate_isRefused() {
    String message = refusal("generator://events?rate=0");

    assertThat(message, containsString("'rate' must be a positive number of messages per second"));
    assertThat(message, containsString("e.g. generator://events?rate=100"));
  }

  @Test
  public void nonPositiveKeys_isRefused() {
    assertThat(
        refusal("generator://events?count=5&keys=0"),
        containsString("'keys' must be a positive whole number, got '0'"));
  }

  @Test
  public void badDuration_isRefusedWithTheForms() {
    String message = refusal("generator://events?count=5&disorder=5x");

    assertThat(message, containsString("'disorder' must be a duration such as 250ms, 30s"));
    assertThat(message, containsString("got '5x'"));
    assertThat(message, containsString("e.g. generator://events?count=1000&disorder=5s"));
  }

  @Test
  public void hugeDuration_isRefusedNotOverflowed() {
    assertThat(
        refusal("generator://events?count=5&interval=9999999999999d"),
        containsString("'interval' must be a duration"));
  }

  @Test
  public void zeroLateBy_isRefused() {
    assertThat(
        refusal("generator://events?count=5&lateBy=0s"),
        containsString("'lateBy' must be positive, got 0ms"));
  }

  @Test
  public void zeroInterval_isRefused() {
    assertThat(
        refusal("generator://events?count=5&interval=0ms"),
        containsString("'interval' must be positive"));
  }

  @Test
  public void badStart_isRefused() {
    String message = refusal("generator://events?count=5&start=yesterday");

    assertThat(message, containsString("'start' must be an ISO-8601 instant with an offset"));
    assertThat(message, containsString("start=2026-01-01T00:00:00Z"));
  }

  @Test
  public void countBeyondTheEndOfTime_isRefused() {
    assertThat(
        refusal("generator://events?count=9000000000000000&interval=1d"),
        containsString("'count' times interval runs past the end of time"));
  }

  @Test
  public void otherGenerator_isRefused() {
    String message = refusal("generator://clicks?count=5");

    assertThat(message, containsString("unknown generator '//clicks'"));
    assertThat(message, containsString("generator://events?count=1000"));
  }

  @Test
  public void messagesNameTheWholeUri() {
    assertThat(
        refusal("generator://events?count=5&keys=x"),
        containsString("'generator://events?count=5&keys=x': generator parameter 'keys'"));
  }

  @Test
  public void builder_checksLikeTheUri() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GeneratorSpec.builder().setCount(10L).setMalformed(2).build());

    assertThat(e.getMessage(), containsString("'malformed' must be a fraction in [0, 1], got 2"));
  }
}
