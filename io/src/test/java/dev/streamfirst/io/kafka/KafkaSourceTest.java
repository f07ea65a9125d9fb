package dev.streamfirst.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.Sources;
import dev.streamfirst.io.kafka.KafkaSource.EventTime;
import dev.streamfirst.io.kafka.KafkaSource.Start;
import dev.streamfirst.io.kafka.KafkaSource.Stop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class KafkaSourceTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
          + " password=\"hunter2-jaas\";";

  private static KafkaSource source(String uri) {
    return (KafkaSource) Sources.read(uri);
  }

  private static IllegalArgumentException refused(String uri) {
    return assertThrows(IllegalArgumentException.class, () -> Sources.read(uri));
  }

  @Test
  public void plainUri_isALiveReadFromTheLatestWithPayloadTime() {
    KafkaSource source = source("kafka://localhost:9092/events");

    assertEquals("localhost:9092", source.bootstrapServers());
    assertEquals(List.of("events"), source.topics());
    assertNull(source.group());
    assertFalse(source.isBounded());
    assertEquals(Start.LATEST, source.effectiveStart());
    assertEquals(EventTime.PAYLOAD, source.eventTime());
    assertEquals("ts", source.timestampField());
    assertEquals(Duration.standardSeconds(30), source.maxDisorder());
    assertEquals(Map.of(), source.clientProperties());
  }

  @Test
  public void everyParameter_isRead() {
    KafkaSource source =
        source(
            "kafka://b1:9092,b2:9093/a,b.c_d-e?group=rollup&from=2026-11-25T10:00:00+01:00"
                + "&until=2026-11-26T00:00:00Z&tsField=event_time&maxDisorder=2m"
                + "&kafka.security.protocol=SASL_SSL&kafka.max.poll.records=100");

    assertEquals("b1:9092,b2:9093", source.bootstrapServers());
    assertEquals(List.of("a", "b.c_d-e"), source.topics());
    assertEquals("rollup", source.group());
    assertEquals(Start.TIME, source.start());
    assertEquals(Instant.parse("2026-11-25T09:00:00Z"), source.startTime());
    assertEquals(Stop.TIME, source.stop());
    assertEquals(Instant.parse("2026-11-26T00:00:00Z"), source.stopTime());
    assertTrue(source.isBounded());
    assertEquals("event_time", source.timestampField());
    assertEquals(Duration.standardMinutes(2), source.maxDisorder());
    assertEquals(
        Map.of("security.protocol", "SASL_SSL", "max.poll.records", "100"),
        source.clientProperties());
  }

  @Test
  public void untilEnd_isABoundedReplayFromTheEarliest() {
    KafkaSource source = source("kafka://localhost:9092/events?until=end&time=record");

    assertTrue(source.isBounded());
    assertEquals(Stop.END, source.stop());
    assertEquals(Start.EARLIEST, source.effectiveStart());
    assertEquals(EventTime.RECORD, source.eventTime());
  }

  @Test
  public void propertiesFile_isRead_andQueryParametersOverrideIt() throws Exception {
    Path file = tmp.newFile("client.properties").toPath();
    Files.write(
        file,
        List.of(
            "security.protocol=SASL_SSL",
            "sasl.mechanism=PLAIN",
            "sasl.jaas.config=" + JAAS.replace("\"", "\\\"")),
        StandardCharsets.UTF_8);

    KafkaSource source =
        source(
            "kafka://localhost:9092/events?properties="
                + file
                + "&kafka.sasl.mechanism=SCRAM-SHA-512");

    assertEquals("SASL_SSL", source.clientProperties().get("security.protocol"));
    assertEquals("SCRAM-SHA-512", source.clientProperties().get("sasl.mechanism"));
    assertEquals(JAAS, source.clientProperties().get("sasl.jaas.config"));
  }

  @Test
  public void displayData_masksSecretValues() {
    KafkaSource source =
        KafkaSource.read("localhost:9092", "events")
            .withGroup("g")
            .withClientProperties(
                Map.of(
                    "sasl.jaas.config", JAAS,
                    "ssl.truststore.password", "hunter2-trust",
                    "security.protocol", "SASL_SSL"));

    DisplayData data = DisplayData.from(source);

    assertThat(data.toString(), not(containsString("hunter2")));
    assertEquals(Secrets.MASK, valueOf(data, "kafka.sasl.jaas.config"));
    assertEquals(Secrets.MASK, valueOf(data, "kafka.ssl.truststore.password"));
    assertEquals("SASL_SSL", valueOf(data, "kafka.security.protocol"));
    assertEquals("latest", valueOf(data, "from"));
    assertEquals("never", valueOf(data, "until"));
    assertEquals("payload field ts", valueOf(data, "time"));
    assertEquals("30s", valueOf(data, "maxDisorder"));
    assertEquals("g", valueOf(data, "group"));
  }

  @Test
  public void liveRead_showsNoSecretInAnyStepOfTheExpandedGraph() {
    // KafkaIO displays every consumer setting it is given; secrets must not be among them.
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(
        "Read",
        source(
            "kafka://localhost:9092/events?group=g&kafka.sasl.jaas.config="
                + JAAS.replace(" ", "%20").replace("\"", "%22").replace(";", "%3B")
                + "&kafka.ssl.key.password=hunter2-key"));

    StringBuilder shown = new StringBuilder();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              shown.append(DisplayData.from(node.getTransform())).append('\n');
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            shown.append(DisplayData.from(node.getTransform())).append('\n');
          }
        });

    assertThat(shown.toString(), containsString("localhost:9092"));
    assertThat(shown.toString(), not(containsString("hunter2")));
  }

  @Test
  public void missingTopic_isRefusedWithAnExample() {
    IllegalArgumentException e = refused("kafka://localhost:9092");

    assertThat(e.getMessage(), containsString("names no topic"));
    assertThat(e.getMessage(), containsString("kafka://localhost:9092/events"));
  }

  @Test
  public void missingBrokers_areRefused() {
    assertThat(refused("kafka:///events").getMessage(), containsString("names no broker"));
    assertThat(refused("kafka:events").getMessage(), containsString("has no brokers"));
  }

  @Test
  public void brokerWithoutPort_isRefusedNamingIt() {
    IllegalArgumentException e = refused("kafka://b1:9092,b2/events");

    assertThat(e.getMessage(), containsString("broker 'b2'"));
    assertThat(e.getMessage(), containsString("is not host:port"));
    assertThat(e.getMessage(), containsString("kafka://localhost:9092/events"));
  }

  @Test
  public void portOutOfRange_isRefused() {
    assertThat(refused("kafka://b:99999/events").getMessage(), containsString("not 1..65535"));
  }

  @Test
  public void badTopicName_isRefused() {
    IllegalArgumentException e = refused("kafka://b:9092/ev ents");

    assertThat(e.getMessage(), containsString("topic 'ev ents'"));
  }

  @Test
  public void unknownParameter_isRefusedListingTheKnownOnes() {
    IllegalArgumentException e = refused("kafka://b:9092/events?grp=x");

    assertThat(e.getMessage(), containsString("unknown parameter 'grp'"));
    assertThat(e.getMessage(), containsString("group, from, until, time"));
    assertThat(e.getMessage(), containsString("kafka.<client property>"));
  }

  @Test
  public void badFrom_isRefusedWithTheValidForms() {
    IllegalArgumentException e = refused("kafka://b:9092/events?from=yesterday");

    assertThat(e.getMessage(), containsString("'from'"));
    assertThat(e.getMessage(), containsString("earliest, latest or an ISO-8601 instant"));
    assertThat(e.getMessage(), containsString("got 'yesterday'"));
  }

  @Test
  public void instantWithoutOffset_isRefused() {
    IllegalArgumentException e = refused("kafka://b:9092/events?until=2026-11-25T10:00:00");

    assertThat(e.getMessage(), containsString("parameter 'until'"));
    assertThat(e.getMessage(), containsString("with an offset"));
  }

  @Test
  public void badUntil_isRefused() {
    assertThat(
        refused("kafka://b:9092/events?until=forever").getMessage(),
        containsString("must be end or an ISO-8601 instant, got 'forever'"));
  }

  @Test
  public void badTimeMode_isRefused() {
    assertThat(
        refused("kafka://b:9092/events?time=wall").getMessage(),
        containsString("must be payload (the event's time field) or record"));
  }

  @Test
  public void tsFieldWithRecordTime_isRefusedAsContradictory() {
    assertThat(
        refused("kafka://b:9092/events?time=record&tsField=ts").getMessage(),
        containsString("has no effect with time=record"));
  }

  @Test
  public void badMaxDisorder_isRefused() {
    IllegalArgumentException e = refused("kafka://b:9092/events?maxDisorder=30");

    assertThat(e.getMessage(), containsString("'maxDisorder'"));
    assertThat(e.getMessage(), containsString("250ms, 30s"));
  }

  @Test
  public void fromNotBeforeUntil_isRefused() {
    IllegalArgumentException e =
        refused("kafka://b:9092/events?from=2026-11-26T00:00:00Z&until=2026-11-25T00:00:00Z");

    assertThat(e.getMessage(), containsString("is not before until="));
  }

  @Test
  public void latestWithUntil_isRefusedAsReadingNothing() {
    assertThat(
        refused("kafka://b:9092/events?from=latest&until=end").getMessage(),
        containsString("from=latest with until reads nothing"));
  }

  @Test
  public void reservedClientProperty_isRefusedNamingTheParameterToUse() {
    IllegalArgumentException e = refused("kafka://b:9092/events?kafka.group.id=g");

    assertThat(e.getMessage(), containsString("client property 'group.id'"));
    assertThat(e.getMessage(), containsString("use group="));
  }

  @Test
  public void relativePropertiesFile_isRefused() {
    assertThat(
        refused("kafka://b:9092/events?properties=client.properties").getMessage(),
        containsString("must be an absolute path"));
  }

  @Test
  public void missingPropertiesFile_isRefusedNamingIt() {
    assertThat(
        refused("kafka://b:9092/events?properties=/no/such/client.properties").getMessage(),
        containsString("'/no/such/client.properties'"));
  }

  @Test
  public void errorMessages_maskSecretValues() {
    IllegalArgumentException unknown =
        refused("kafka://b:9092/events?kafka.sasl.jaas.config=hunter2-jaas&bogus=1");
    IllegalArgumentException credentials = refused("kafka://user:hunter2-pw@b:9092/events");
    IllegalArgumentException scheme =
        refused("kafak://b:9092/events?kafka.ssl.key.password=hunter2-key");

    assertThat(unknown.getMessage(), containsString("unknown parameter 'bogus'"));
    assertThat(unknown.getMessage(), containsString("kafka.sasl.jaas.config=*****"));
    assertThat(credentials.getMessage(), containsString("pass credentials as client properties"));
    for (IllegalArgumentException e : List.of(unknown, credentials, scheme)) {
      assertThat(e.getMessage(), not(containsString("hunter2")));
    }
  }

  @Test
  public void codeApi_matchesTheUri() {
    KafkaSource fromCode =
        KafkaSource.read("localhost:9092", "a", "b")
            .withGroup("g")
            .fromEarliest()
            .untilEnd()
            .withRecordTime()
            .withMaxDisorder(Duration.standardSeconds(5));

    assertEquals(
        KafkaSource.fromUri(
            IoUri.parse(
                "kafka://localhost:9092/a,b?group=g&from=earliest&until=end&time=record"
                    + "&maxDisorder=5s")),
        fromCode);
  }

  private static String valueOf(DisplayData data, String key) {
    for (DisplayData.Item item : data.items()) {
      if (item.getKey().equals(key)) {
        return String.valueOf(item.getValue());
      }
    }
    throw new AssertionError("no display data item '" + key + "' in " + data);
  }
}
