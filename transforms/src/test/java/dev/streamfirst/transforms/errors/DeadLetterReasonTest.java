package dev.streamfirst.transforms.errors;

import static org.junit.Assert.assertEquals;

import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.events.EventParser;
import dev.streamfirst.transforms.events.InvalidEventException;
import java.util.Map;
import org.joda.time.Instant;
import org.junit.Test;

public class DeadLetterReasonTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  @Test
  public void parseErrors_areClassifiedByWhatWasWrong() {
    Map<String, String> expected =
        Map.of(
            "not json at all", DeadLetterReason.NOT_JSON,
            "[1,2,3]", DeadLetterReason.NOT_OBJECT,
            "{\"id\":\"m1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\"}",
                DeadLetterReason.MISSING_FIELD,
            "{\"id\":\"m2\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\",\"value\":\"12\"}",
                DeadLetterReason.BAD_FIELD,
            "{\"id\":\"m3\",\"key\":\"k\",\"ts\":\"yesterday\",\"value\":1}",
                DeadLetterReason.BAD_FIELD,
            "{truncated", DeadLetterReason.NOT_JSON);
    EventParser parser = new EventParser(EventFields.defaults());
    expected.forEach(
        (payload, reason) -> {
          String error;
          try {
            parser.parse(payload);
            throw new AssertionError("parsed: " + payload);
          } catch (InvalidEventException e) {
            error = e.getMessage();
          }
          assertEquals(
              payload + " → " + error,
              reason,
              DeadLetterReason.of(DeadLetter.of(payload, error, "parse", NOW)));
        });
  }

  @Test
  public void notUtf8_late_andEnrichment_haveTheirOwnClasses() {
    assertEquals(
        DeadLetterReason.NOT_UTF8,
        DeadLetterReason.of(
            DeadLetter.ofBytes(
                new byte[] {(byte) 0xff}, "payload is not valid UTF-8: ...", "parse", NOW)));
    assertEquals(
        DeadLetterReason.LATE,
        DeadLetterReason.of(DeadLetter.of("{}", "arrived after its windows closed", "late", NOW)));
    assertEquals(
        DeadLetterReason.NOT_FOUND,
        DeadLetterReason.of(DeadLetter.of("{}", "no reference data for key 'k'", "enrich", NOW)));
    assertEquals(
        DeadLetterReason.LOOKUP_FAILED,
        DeadLetterReason.of(DeadLetter.of("{}", "key 'k': HTTP 500", "enrich", NOW)));
    assertEquals(
        DeadLetterReason.OTHER,
        DeadLetterReason.of(DeadLetter.of("x", "something else", "custom", NOW)));
  }

  @Test
  public void metricPart_keepsOnlyLettersDigitsAndUnderscores() {
    assertEquals("parse", DeadLetterReason.metricPart("parse"));
    assertEquals("my_stage_2", DeadLetterReason.metricPart("My Stage-2"));
    assertEquals(DeadLetterReason.OTHER, DeadLetterReason.metricPart(""));
  }
}
