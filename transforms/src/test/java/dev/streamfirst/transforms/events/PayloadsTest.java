package dev.streamfirst.transforms.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class PayloadsTest {
  @Test
  public void validUtf8_isItsOwnText() {
    String text = "{\"key\":\"ключ 🌡\u0000\"}";

    String payload = Payloads.fromBytes(text.getBytes(StandardCharsets.UTF_8));

    assertEquals(text, payload);
    assertNull(Payloads.undecodedBytes(payload));
  }

  @Test
  public void invalidUtf8_isCarriedAsItsExactBytes() {
    byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);

    String payload = Payloads.fromBytes(latin1);

    assertArrayEquals(latin1, Payloads.undecodedBytes(payload));
    assertEquals(
        "payload is not valid UTF-8: malformed byte sequence 0xE9 at byte offset 3;"
            + " the payload is kept as base64",
        Payloads.utf8Problem(latin1));
  }

  @Test
  public void validTextThatLooksUndecoded_isCarriedAsBytesToo_soTheFormIsNeverAmbiguous() {
    String tricky = Payloads.UNDECODED_PREFIX + "AAAA";
    byte[] bytes = tricky.getBytes(StandardCharsets.UTF_8);

    String payload = Payloads.fromBytes(bytes);

    assertArrayEquals(bytes, Payloads.undecodedBytes(payload));
    assertEquals(tricky, Payloads.strictUtf8(Payloads.undecodedBytes(payload)));
  }

  @Test
  public void truncatedSequenceAtTheEnd_isInvalid() {
    byte[] cut = {'a', (byte) 0xE2, (byte) 0x82};

    assertNull(Payloads.strictUtf8(cut));
    assertThat(Payloads.utf8Problem(cut), containsString("at byte offset 1"));
  }

  @Test
  public void utf16ByteOrderMark_isNamed() {
    byte[] utf16 = "{}".getBytes(StandardCharsets.UTF_16);

    assertThat(Payloads.utf8Problem(utf16), containsString("UTF-16 byte order mark"));
  }

  @Test
  public void aRealReplacementCharacter_isValidText_whileABadByteBesideItIsNot() {
    String withReplacement = "{\"id\":\"e1\",\"note\":\"\uFFFD\"}";
    byte[] valid = withReplacement.getBytes(StandardCharsets.UTF_8);
    byte[] invalid = (withReplacement + "\u00e9").getBytes(StandardCharsets.ISO_8859_1);

    assertEquals(withReplacement, Payloads.fromBytes(valid));
    assertNull(Payloads.strictUtf8(invalid));
  }
}
