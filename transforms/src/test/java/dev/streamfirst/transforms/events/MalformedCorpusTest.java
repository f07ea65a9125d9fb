package dev.streamfirst.transforms.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.fuzz.MalformedPayload;
import dev.streamfirst.testing.fuzz.MalformedPayload.Outcome;
import dev.streamfirst.testing.fuzz.MalformedPayload.Sample;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The whole fuzz corpus through the parse step, mixed into a stream of valid events, each message
 * turned into text the way every source does ({@link Payloads#fromBytes}): each malformed message
 * is exactly one dead letter with its exact bytes and a reason naming its problem; the valid events
 * come through unchanged.
 */
@RunWith(JUnit4.class)
public class MalformedCorpusTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.000Z");
  private static final int COPIES = 2;

  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** A fragment of the reason each dead-lettered class must give. */
  static String expectedReason(MalformedPayload kind) {
    return switch (kind) {
      case INVALID_UTF8_LATIN1 -> "not valid UTF-8: malformed byte sequence 0xE9 at byte offset";
      case INVALID_UTF8_TRUNCATED_SEQUENCE -> "not valid UTF-8: malformed byte sequence 0xC3";
      case INVALID_UTF8_OVERLONG -> "not valid UTF-8: malformed byte sequence 0xC0";
      case INVALID_UTF8_ENCODED_SURROGATE -> "not valid UTF-8: malformed byte sequence 0xED";
      case BINARY_GARBAGE -> "not valid UTF-8: malformed byte sequence";
      case UTF16_LE_WITH_BOM, UTF16_BE_WITH_BOM -> "starts with a UTF-16 byte order mark";
      case UTF16_LE_WITHOUT_BOM -> "UTF-16 text? send UTF-8";
      case NUL_BYTE -> "code 0";
      case CONTROL_CHARACTER -> "CTRL-CHAR, code 1";
      case LONE_SURROGATE_ESCAPE -> "field 'key' contains an unpaired surrogate escape \\ud800";
      case LINE_10_MB -> "Trailing token";
      case DEEP_NESTING_10000 -> "nesting depth";
      case HUGE_NUMBER -> "field 'value' must be a finite number, got Infinity";
      case LONG_NUMBER -> "Number length (5000) exceeds the maximum length (1000)";
      case HUGE_EPOCH_MILLIS -> "field 'ts' is outside the supported time range";
      case NAN_TOKEN -> "Non-standard token 'NaN'";
      case INFINITY_TOKEN -> "Non-standard token '-Infinity'";
      case NAN_STRING, NUMBER_AS_STRING -> "field 'value' must be a finite number, got a string";
      case DUPLICATE_FIELD -> "Duplicate field 'key'";
      case TIME_OUT_OF_RANGE -> "field 'ts' is outside the supported time range";
      case TIME_IMPOSSIBLE_DATE, TIME_WITHOUT_OFFSET, EPOCH_MILLIS_AS_STRING ->
          "field 'ts' must be an ISO-8601 instant with an offset";
      case TOP_LEVEL_ARRAY -> "expected a JSON object, got an array";
      case FIELD_AS_ARRAY -> "field 'key' must be a non-empty string, got an array";
      case TRUNCATED_JSON -> "Unexpected end-of-input";
      case TRAILING_GARBAGE -> "Unrecognized token 'ok'";
      case NOT_JSON -> "not valid JSON: Unrecognized token";
      case NON_STANDARD_JSON -> "Unexpected character (''' (code 39))";
      case WRONG_TYPES -> "field 'id' must be a non-empty string, got a number";
      case MISSING_REQUIRED_FIELD -> "field 'value' is missing";
      case NULL_FIELD -> "field 'key' must be a non-empty string, got null";
      case EMPTY_ID -> "field 'id' must be a non-empty string, got \"\"";
      case UTF8_BOM, TINY_NUMBER, EMPTY, WHITESPACE_ONLY -> "";
    };
  }

  @Test
  public void corpus_hasAtLeastTwentyDeadLetterClasses() {
    long dead =
        Arrays.stream(MalformedPayload.values())
            .filter(k -> k.outcome() == Outcome.DEAD_LETTER)
            .count();
    assertTrue("dead-letter classes: " + dead, dead >= 20);
  }

  @Test
  public void corpus_isDeterministic() {
    List<Sample> a = MalformedPayload.corpus(1, T0.toDate().toInstant());
    List<Sample> b = MalformedPayload.corpus(1, T0.toDate().toInstant());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).name(), b.get(i).name());
      assertArrayEquals(a.get(i).name(), a.get(i).bytes(), b.get(i).bytes());
    }
  }

  @Test
  public void everyMalformedMessage_isOneDeadLetterWithExactBytesAndItsReason_validOnesPass() {
    List<Sample> corpus = corpus();
    TestStream.Builder<String> stream = TestStream.create(StringUtf8Coder.of());
    List<String> validIds = new ArrayList<>();
    int n = 0;
    for (Sample sample : corpus) {
      String id = "ok-" + n;
      Instant t = T0.plus(Duration.standardSeconds(n));
      validIds.add(id);
      stream =
          stream.addElements(
              TimestampedValue.of(EventJson.event(id, "k" + n % 3, t, n).toJson(), t),
              TimestampedValue.of(Payloads.fromBytes(sample.bytes()), t));
      n++;
    }
    for (Sample sample : corpus) {
      if (sample.kind().outcome() == Outcome.ACCEPTED) {
        validIds.add(sample.id());
      }
    }

    int total = corpus.size();
    Result<Event> parsed = p.apply(stream.advanceWatermarkToInfinity()).apply(ParseEvents.create());

    PAssert.that(parsed.deadLetters())
        .satisfies(
            letters -> {
              // Generated again rather than captured: the corpus is deterministic and 20 MB.
              assertDeadLetters(corpus(), letters);
              return null;
            });
    PAssert.that(parsed.output())
        .satisfies(
            events -> {
              Map<String, Event> byId = new HashMap<>();
              for (Event event : events) {
                assertEquals("one event per id", null, byId.put(event.id(), event));
              }
              assertEquals(
                  new java.util.TreeSet<>(validIds), new java.util.TreeSet<>(byId.keySet()));
              for (int i = 0; i < COPIES; i++) {
                Event bom = byId.get("fuzz-utf8_bom-" + i);
                assertEquals(
                    "the payload keeps its byte order mark", '\uFEFF', bom.payload().charAt(0));
                assertEquals("bom", bom.key());
                assertEquals(2.5, bom.value(), 0);
                assertEquals(T0, bom.timestamp());
                Event tiny = byId.get("fuzz-tiny_number-" + i);
                assertEquals(0.0, tiny.value(), 0);
              }
              for (int i = 0; i < total; i++) {
                Event ok = byId.get("ok-" + i);
                assertEquals("k" + i % 3, ok.key());
                assertEquals(i, ok.value(), 0);
                assertEquals(T0.plus(Duration.standardSeconds(i)), ok.timestamp());
              }
              return null;
            });
    p.run();
  }

  private static List<Sample> corpus() {
    return MalformedPayload.corpus(COPIES, T0.toDate().toInstant());
  }

  private static void assertDeadLetters(List<Sample> corpus, Iterable<DeadLetter> letters) {
    // Dead letters matched to samples by their exact bytes; every letter must match one sample.
    Map<String, List<DeadLetter>> byBytes = new HashMap<>();
    int count = 0;
    for (DeadLetter letter : letters) {
      assertEquals(ParseEvents.STAGE, letter.stage());
      String bytes = java.util.Base64.getEncoder().encodeToString(letter.payloadBytes());
      byBytes.computeIfAbsent(bytes, k -> new ArrayList<>()).add(letter);
      count++;
    }
    Map<String, String> wrong = new TreeMap<>();
    int expected = 0;
    for (Sample sample : corpus) {
      String bytes = java.util.Base64.getEncoder().encodeToString(sample.bytes());
      List<DeadLetter> found = byBytes.getOrDefault(bytes, List.of());
      if (sample.kind().outcome() != Outcome.DEAD_LETTER) {
        if (!found.isEmpty()) {
          wrong.put(sample.name(), "expected " + sample.kind().outcome() + ", got " + found);
        }
        continue;
      }
      expected++;
      if (found.size() != 1) {
        wrong.put(sample.name(), found.size() + " dead letters with its bytes");
        continue;
      }
      DeadLetter letter = found.get(0);
      String reason = expectedReason(sample.kind());
      if (!letter.error().contains(reason)) {
        wrong.put(sample.name(), "reason '" + letter.error() + "' lacks '" + reason + "'");
      }
      boolean utf8 = Payloads.strictUtf8(sample.bytes()) != null;
      DeadLetter.PayloadEncoding encoding =
          utf8 ? DeadLetter.PayloadEncoding.TEXT : DeadLetter.PayloadEncoding.BASE64;
      if (letter.payloadEncoding() != encoding) {
        wrong.put(sample.name(), "encoded " + letter.payloadEncoding() + ", want " + encoding);
      }
      if (!utf8) {
        assertThat(letter.error(), containsString("kept as base64"));
      }
    }
    assertEquals("classes with a wrong outcome: " + wrong, Map.of(), wrong);
    assertEquals(expected, count);
  }
}
