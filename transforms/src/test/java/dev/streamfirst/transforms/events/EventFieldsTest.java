package dev.streamfirst.transforms.events;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class EventFieldsTest {

  @Test
  public void defaults_areTheCanonicalNames() {
    assertEquals(EventFields.of("id", "key", "ts", "value"), EventFields.defaults());
  }

  @Test
  public void withers_replaceOneNameEach() {
    EventFields fields =
        EventFields.defaults()
            .withIdField("uuid")
            .withKeyField("device")
            .withTimestampField("event_time")
            .withValueField("reading");

    assertEquals(EventFields.of("uuid", "device", "event_time", "reading"), fields);
    assertEquals(
        EventFields.of("id", "key", "event_time", "value"),
        EventFields.defaults().withTimestampField("event_time"));
  }

  @Test
  public void blankOrNullName_isRefusedNamingTheSetting() {
    assertEquals(
        "timestampField must name a JSON field, got ' '",
        assertThrows(
                IllegalArgumentException.class,
                () -> EventFields.defaults().withTimestampField(" "))
            .getMessage());
    assertEquals(
        "idField must name a JSON field, got null",
        assertThrows(IllegalArgumentException.class, () -> EventFields.defaults().withIdField(null))
            .getMessage());
    assertEquals(
        "valueField must name a JSON field, got ''",
        assertThrows(IllegalArgumentException.class, () -> EventFields.of("id", "key", "ts", ""))
            .getMessage());
  }
}
