package dev.streamfirst.io.kafka;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.streamfirst.transforms.events.Payloads;
import java.nio.charset.StandardCharsets;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class Utf8PayloadDeserializerTest {
  private final Utf8PayloadDeserializer deserializer = new Utf8PayloadDeserializer();

  @Test
  public void validUtf8_isItsText() {
    String text = "{\"id\":\"e\",\"key\":\"ключ 🌡\"}";

    assertEquals(text, deserializer.deserialize("t", text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  public void latin1_isNotReplaced_butCarriedUndecoded() {
    byte[] latin1 = "{\"key\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1);

    String payload = deserializer.deserialize("t", latin1);

    assertEquals(-1, payload.indexOf('\uFFFD'));
    assertArrayEquals(latin1, Payloads.undecodedBytes(payload));
  }

  @Test
  public void tombstone_staysNull() {
    assertNull(deserializer.deserialize("t", null));
  }
}
