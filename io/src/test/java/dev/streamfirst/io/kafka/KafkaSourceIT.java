package dev.streamfirst.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.Sources;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/** Replays against a real broker: what a bounded Kafka read returns, and with which times. */
public class KafkaSourceIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static KafkaBroker kafka;

  @BeforeClass
  public static void startBroker() {
    kafka = KafkaBroker.shared();
  }

  /** Event i: event time T0 + i s; record timestamp = event time, so Kafka's time index agrees. */
  private static ProducerRecord<String, String> event(String topic, int i, int partitions) {
    Instant ts = T0.plus(Duration.standardSeconds(i));
    String json = EventJson.event("e-" + i, "k-" + (i % 5), ts, i).toJson();
    return new ProducerRecord<>(topic, i % partitions, ts.getMillis(), "k-" + (i % 5), json);
  }

  private static List<ProducerRecord<String, String>> events(String topic, int from, int to) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(event(topic, i, 3));
    }
    return records;
  }

  private static List<String> values(List<ProducerRecord<String, String>> records) {
    return records.stream().map(ProducerRecord::value).toList();
  }

  private String uri(String topic, String query) {
    return "kafka://" + kafka.bootstrapServers() + "/" + topic + "?" + query;
  }

  @Test
  public void untilEnd_readsWhatWasThereAtLaunch_stampedWithPayloadTime() {
    String topic = kafka.createTopic("replay-end", 3);
    List<ProducerRecord<String, String>> before = new ArrayList<>(events(topic, 0, 150));
    // A tombstone is not a message: it must be skipped, not fail the read.
    before.add(new ProducerRecord<>(topic, 1, T0.getMillis(), "k-1", (String) null));
    kafka.send(topic, before);

    PCollection<String> read = p.apply(Sources.read(uri(topic, "until=end")));
    // Written after the pipeline was built: a replay of "what is there" must not see them.
    kafka.send(topic, events(topic, 150, 180));

    PAssert.that(read).containsInAnyOrder(values(events(topic, 0, 150)));
    PAssert.that(read.apply(Reify.timestamps()))
        .satisfies(
            stamped -> {
              int count = 0;
              for (TimestampedValue<String> v : stamped) {
                int i = Integer.parseInt(v.getValue().replaceAll(".*\"id\":\"e-(\\d+)\".*", "$1"));
                assertEquals(T0.plus(Duration.standardSeconds(i)), v.getTimestamp());
                count++;
              }
              assertEquals(150, count);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void untilInstant_keepsOnlyEventsBeforeIt() {
    String topic = kafka.createTopic("replay-until", 3);
    kafka.send(topic, events(topic, 0, 120));

    PCollection<String> read =
        p.apply(Sources.read(uri(topic, "until=" + T0.plus(Duration.standardSeconds(45)))));

    PAssert.that(read).containsInAnyOrder(values(events(topic, 0, 45)));
    p.run().waitUntilFinish();
  }

  @Test
  public void fromInstant_startsAtTheRecordTimestamp_evenWhereAPartitionHasNothingLater() {
    String topic = kafka.createTopic("replay-from", 3);
    Instant from = T0.plus(Duration.standardSeconds(60));
    List<ProducerRecord<String, String>> records = new ArrayList<>(events(topic, 0, 90));
    // Partition 2 gets only old records: it has nothing at or after 'from'.
    records.removeIf(r -> r.partition() == 2 && r.timestamp() >= from.getMillis());
    kafka.send(topic, records);

    PCollection<String> read =
        p.apply(Sources.read(uri(topic, "from=" + from + "&until=end&time=record")));

    List<String> expected =
        records.stream()
            .filter(r -> r.timestamp() >= from.getMillis())
            .map(r -> r.value())
            .toList();
    assertThat(expected.size(), org.hamcrest.Matchers.greaterThan(10));
    PAssert.that(read).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void recordTime_stampsWithTheKafkaTimestamp() {
    String topic = kafka.createTopic("replay-record-time", 1);
    Instant recordTime = Instant.parse("2026-01-01T00:00:00Z");
    String payload = EventJson.event("e-1", "k", T0, 1).toJson();
    kafka.send(
        topic, List.of(new ProducerRecord<>(topic, 0, recordTime.getMillis(), "k", payload)));

    PCollection<String> stamped =
        p.apply(Sources.read(uri(topic, "until=end&time=record")))
            .apply(Reify.timestamps())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via((TimestampedValue<String> v) -> v.getTimestamp().toString()));

    PAssert.that(stamped).containsInAnyOrder(recordTime.toString());
    p.run().waitUntilFinish();
  }

  @Test
  public void unreadablePayloadTime_fallsBackToTheRecordTimestamp() {
    String topic = kafka.createTopic("replay-bad-time", 1);
    Instant recordTime = T0.plus(Duration.standardMinutes(7));
    kafka.send(
        topic,
        List.of(
            new ProducerRecord<>(topic, 0, recordTime.getMillis(), null, "not json"),
            new ProducerRecord<>(
                topic, 0, recordTime.getMillis(), null, "{\"id\":\"x\",\"ts\":\"yesterday\"}")));

    PCollection<String> stamped =
        p.apply(Sources.read(uri(topic, "until=end")))
            .apply(Reify.timestamps())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via((TimestampedValue<String> v) -> v.getValue() + "@" + v.getTimestamp()));

    PAssert.that(stamped)
        .containsInAnyOrder(
            "not json@" + recordTime, "{\"id\":\"x\",\"ts\":\"yesterday\"}@" + recordTime);
    p.run().waitUntilFinish();
  }

  @Test
  public void missingTopic_failsAtLaunchNamingIt() {
    String existing = kafka.createTopic("existing", 1);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> p.apply(Sources.read(uri("no-such-topic", "until=end"))));

    assertThat(e.getMessage(), containsString("topic 'no-such-topic' does not exist on"));
    assertThat(e.getMessage(), containsString(existing));
    p.enableAbandonedNodeEnforcement(false);
  }
}
