package dev.streamfirst.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.kafka.KafkaSource.EventTime;
import dev.streamfirst.io.kafka.KafkaSource.Start;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class KafkaSourceUriTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
          + " password=\"hunter2&=%+ü\";";

  private static KafkaSourceUri parse(String uri) {
    return KafkaSourceUri.parse(IoUri.parse(uri));
  }

  private static KafkaSourceUri roundTrip(KafkaSourceUri settings) {
    return parse(settings.toUri());
  }

  @Test
  public void canonicalUri_isWrittenBackAsGiven() {
    String uri =
        "kafka://b1:9092,b2:9093/a,b?group=g&from=earliest&until=end&time=record&maxDisorder=5s"
            + "&kafka.security.protocol=SASL_SSL";

    assertEquals(uri, parse(uri).toUri());
  }

  @Test
  public void defaults_areLeftOut() {
    assertEquals("kafka://localhost:9092/events", parse("kafka://localhost:9092/events").toUri());
  }

  @Test
  public void everyParameter_survivesTheRoundTrip() {
    KafkaSourceUri settings =
        parse(
            "kafka://b1:9092,b2:9093/a,b.c_d-e?group=rollup&from=2026-11-25T10:00:00+01:00"
                + "&until=2026-11-26T00:00:00Z&tsField=event_time&maxDisorder=2m"
                + "&kafka.max.poll.records=100");

    assertEquals(settings, roundTrip(settings));
    assertEquals(Instant.parse("2026-11-25T09:00:00Z"), roundTrip(settings).startTime());
  }

  @Test
  public void clientPropertiesWithQueryCharacters_surviveTheRoundTrip() {
    KafkaSourceUri settings =
        KafkaSourceUri.of("localhost:9092", "events")
            .setClientProperties(Map.of("sasl.jaas.config", JAAS, "client.id", "a b#c"))
            .build();

    assertEquals(settings, roundTrip(settings));
    assertEquals(JAAS, roundTrip(settings).clientProperties().get("sasl.jaas.config"));
  }

  @Test
  public void propertiesFile_isWrittenInline() throws Exception {
    Path file = tmp.newFile("client.properties").toPath();
    Files.write(file, List.of("security.protocol=SASL_SSL"), StandardCharsets.UTF_8);

    KafkaSourceUri settings = parse("kafka://localhost:9092/events?properties=" + file);

    assertEquals(
        "kafka://localhost:9092/events?kafka.security.protocol=SASL_SSL", settings.toUri());
    assertEquals(settings, roundTrip(settings));
  }

  @Test
  public void codeApi_buildsTheValueTheUriParsesTo() {
    KafkaSource source =
        KafkaSource.read("localhost:9092", "a", "b")
            .withGroup("g")
            .from(Instant.parse("2026-11-25T00:00:00Z"))
            .until(Instant.parse("2026-11-26T00:00:00Z"))
            .withPayloadTime("event_time")
            .withMaxDisorder(Duration.millis(1500));

    assertEquals(source.settings(), roundTrip(source.settings()));
    assertEquals(Start.TIME, roundTrip(source.settings()).start());
    assertEquals(EventTime.PAYLOAD, roundTrip(source.settings()).eventTime());
  }

  @Test
  public void toString_masksSecretValues() {
    KafkaSourceUri settings =
        KafkaSourceUri.of("localhost:9092", "events")
            .setClientProperties(Map.of("sasl.jaas.config", JAAS))
            .build();

    assertEquals("kafka://localhost:9092/events?kafka.sasl.jaas.config=*****", settings.toString());
    assertThat(settings.toString(), not(containsString("hunter2")));
  }

  @Test
  public void codeApiErrors_nameTheUriTheArgumentsAmountTo() {
    IllegalArgumentException fromCode =
        assertThrows(
            IllegalArgumentException.class, () -> KafkaSource.read("b1:9092,b2", "events"));
    IllegalArgumentException fromUri =
        assertThrows(IllegalArgumentException.class, () -> parse("kafka://b1:9092,b2/events"));

    assertEquals(fromUri.getMessage(), fromCode.getMessage());
  }

  @Test
  public void codeApi_takesATopicListAsTheUriDoes() {
    assertEquals(
        parse("kafka://localhost:9092/a,b"), KafkaSourceUri.of("localhost:9092", "a,b").build());
  }
}
