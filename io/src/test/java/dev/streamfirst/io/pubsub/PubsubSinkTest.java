package dev.streamfirst.io.pubsub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.IoUri;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.Test;

public class PubsubSinkTest {

  private static PubsubSink write(String uri) {
    return PubsubSink.fromUri(IoUri.parse(uri));
  }

  @Test
  public void topicUri_withBothAttributes() {
    PubsubSink sink =
        write(
            "pubsub://projects/my-project/topics/rollup?idAttribute=row_id&timestampAttribute=ts");

    assertEquals("projects/my-project/topics/rollup", sink.topic());
    assertEquals("row_id", sink.idAttribute());
    assertEquals("ts", sink.timestampAttribute());
  }

  @Test
  public void topicUri_withoutParameters() {
    PubsubSink sink = write("pubsub://projects/my-project/topics/rollup");

    assertNull(sink.idAttribute());
    assertNull(sink.timestampAttribute());
  }

  @Test
  public void subscription_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> write("pubsub://projects/my-project/subscriptions/rollup"));

    assertThat(e.getMessage(), containsString("a Pub/Sub sink publishes to a topic"));
    assertThat(e.getMessage(), containsString("e.g. " + PubsubSink.EXAMPLE));
  }

  @Test
  public void keyAsTimestampAttribute_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PubsubSink.to("projects/my-project/topics/rollup").withTimestampAttribute("key"));

    assertThat(e.getMessage(), containsString("cannot be 'key'"));
  }

  @Test
  public void unknownParameter_isNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> write("pubsub://projects/my-project/topics/rollup?keyAttribute=k"));

    assertThat(e.getMessage(), containsString("unknown Pub/Sub sink parameter(s) [keyAttribute]"));
  }

  @Test
  public void rowMessage_carriesItsKeyAsAttributeAndTheTextAsPayload() {
    String row = "{\"key\":\"sensor-7 \\\"north\\\" 東京\",\"count\":3}";

    PubsubMessage message = PubsubSink.messageOf(row);

    assertEquals(row, new String(message.getPayload(), UTF_8));
    assertEquals(Map.of("key", "sensor-7 \"north\" 東京"), message.getAttributeMap());
  }

  @Test
  public void textWithoutStringKey_hasNoAttributes() {
    assertEquals(Map.of(), PubsubSink.messageOf("not json").getAttributeMap());
    assertEquals(Map.of(), PubsubSink.messageOf("{\"key\":7}").getAttributeMap());
    assertEquals(Map.of(), PubsubSink.messageOf("{\"payload\":\"x\"}").getAttributeMap());
  }

  @Test
  public void keyOverTheAttributeLimit_staysInThePayloadOnly() {
    String row = "{\"key\":\"" + "k".repeat(1025) + "\"}";

    PubsubMessage message = PubsubSink.messageOf(row);

    assertEquals(Map.of(), message.getAttributeMap());
    assertEquals(row, new String(message.getPayload(), UTF_8));
  }

  @Test
  public void displayData_showsTopicAndAttributes() {
    DisplayData data =
        DisplayData.from(
            PubsubSink.to("projects/my-project/topics/rollup").withTimestampAttribute("ts"));

    assertThat(data.toString(), containsString("projects/my-project/topics/rollup"));
    assertThat(data.toString(), containsString("timestampAttribute"));
  }
}
