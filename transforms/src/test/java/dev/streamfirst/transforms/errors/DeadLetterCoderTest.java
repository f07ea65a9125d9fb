package dev.streamfirst.transforms.errors;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DeadLetterCoderTest {
  private static final Coder<DeadLetter> CODER = DeadLetterCoder.of();
  private static final Instant T = Instant.parse("2026-11-25T10:00:03.250Z");

  private static final List<DeadLetter> LETTERS =
      Arrays.asList(
          DeadLetter.of("not json", "not valid JSON: Unrecognized token 'not'", "parse", T),
          DeadLetter.of("", "", "", new Instant(0)),
          DeadLetter.of(
              "{\"id\":\"a\",\n \"key\":\"ключ \\\"1\\\", 🌡\"}\r\n",
              "field 'ts' is missing",
              "parse",
              new Instant(-1)),
          DeadLetter.of("\u0000\u0001 binary-ish \uFFFD", "why", "enrich", T),
          DeadLetter.ofBytes(new byte[] {'c', 'a', 'f', (byte) 0xE9}, "not UTF-8", "parse", T));

  @Test
  public void roundTrip_preservesEveryField() throws Exception {
    for (DeadLetter letter : LETTERS) {
      CoderProperties.coderDecodeEncodeEqual(CODER, letter);
      assertEquals(letter.payload(), CoderUtils.clone(CODER, letter).payload());
    }
  }

  @Test
  public void equalLetters_encodeToEqualBytes() throws Exception {
    for (DeadLetter letter : LETTERS) {
      DeadLetter copy =
          DeadLetter.of(
              new String(letter.payload()),
              new String(letter.error()),
              new String(letter.stage()),
              new Instant(letter.timestamp().getMillis()),
              letter.payloadEncoding());
      CoderProperties.coderDeterministic(CODER, letter, copy);
    }
  }

  @Test
  public void structuralValue_isConsistentWithEquals() throws Exception {
    CoderProperties.structuralValueConsistentWithEquals(CODER, LETTERS.get(0), LETTERS.get(2));
    CoderProperties.structuralValueConsistentWithEquals(
        CODER,
        LETTERS.get(0),
        DeadLetter.of("not json", "not valid JSON: Unrecognized token 'not'", "parse", T));
  }

  @Test
  public void coder_isSerializable() throws Exception {
    CoderProperties.coderSerializable(CODER);
  }

  @Test
  public void toJsonWithJobId_addsIt_andWithoutOne_hasNoJobIdField() throws Exception {
    DeadLetter letter = LETTERS.get(2);

    JsonNode with = new ObjectMapper().readTree(letter.toJson("rollup-root-1203160512-ab12"));
    JsonNode without = new ObjectMapper().readTree(letter.toJson());

    assertEquals("rollup-root-1203160512-ab12", with.get("jobId").textValue());
    assertEquals(letter.payload(), with.get("payload").textValue());
    assertEquals(null, without.get("jobId"));
    assertEquals(letter.toJson(), letter.toJson(null));
  }

  @Test
  public void toJson_carriesThePayloadExactly_withErrorStageAndTimestamp() throws Exception {
    DeadLetter letter = LETTERS.get(2);

    JsonNode json = new ObjectMapper().readTree(letter.toJson());

    assertEquals(letter.payload(), json.get("payload").textValue());
    assertEquals("field 'ts' is missing", json.get("error").textValue());
    assertEquals("parse", json.get("stage").textValue());
    assertEquals("1969-12-31T23:59:59.999Z", json.get("timestamp").textValue());
  }

  @Test
  public void toJson_ofBytesThatAreNotUtf8_carriesThemAsBase64_flagged() throws Exception {
    DeadLetter letter = LETTERS.get(4);

    JsonNode json = new ObjectMapper().readTree(letter.toJson());

    assertEquals("Y2Fm6Q==", json.get("payload").textValue());
    assertEquals("base64", json.get("payloadEncoding").textValue());
    org.junit.Assert.assertArrayEquals(
        new byte[] {'c', 'a', 'f', (byte) 0xE9}, CoderUtils.clone(CODER, letter).payloadBytes());
  }

  @Test
  public void toJson_ofText_hasNoEncodingField_asBefore() throws Exception {
    JsonNode json = new ObjectMapper().readTree(LETTERS.get(0).toJson());

    assertEquals(null, json.get("payloadEncoding"));
    assertEquals(4, json.size());
  }
}
