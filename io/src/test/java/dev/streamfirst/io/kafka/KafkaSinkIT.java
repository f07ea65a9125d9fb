package dev.streamfirst.io.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/** Writes to a real broker and reads back what a committed reader sees. */
public class KafkaSinkIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static KafkaBroker kafka;

  @BeforeClass
  public static void startBroker() {
    kafka = KafkaBroker.shared();
  }

  private static List<String> rows(int count) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          "{\"key\":\"sensor-" + (i % 7) + "\",\"count\":" + i + ",\"note\":\"ü, \\\"q\\\"\"}");
    }
    return rows;
  }

  private static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }

  private void assertKeyedByField(List<ConsumerRecord<String, String>> records) {
    Map<String, Integer> partitionOfKey = new HashMap<>();
    for (ConsumerRecord<String, String> record : records) {
      String expectedKey = KafkaSink.KeyByFieldFn.keyOf(record.value(), "key");
      assertEquals(expectedKey, record.key());
      // All records of a key go to one partition, which is what keeps them in order.
      Integer before = partitionOfKey.putIfAbsent(record.key(), record.partition());
      if (before != null) {
        assertEquals("partition of " + record.key(), before.intValue(), record.partition());
      }
    }
    assertEquals(7, partitionOfKey.size());
  }

  @Test
  public void atLeastOnce_writesEveryRowKeyedByItsKeyField() {
    String topic = kafka.createTopic("sink-alo", 3);
    List<String> rows = rows(200);

    p.apply(Create.of(rows))
        .apply(Sinks.write("kafka://" + kafka.bootstrapServers() + "/" + topic));
    p.run().waitUntilFinish();

    List<ConsumerRecord<String, String>> written = kafka.readAll(topic);
    assertEquals(sorted(rows), sorted(written.stream().map(ConsumerRecord::value).toList()));
    assertKeyedByField(written);
  }

  @Test
  public void exactlyOnce_commitsEveryRowOnce() {
    String topic = kafka.createTopic("sink-eos", 3);
    List<String> rows = rows(150);

    p.apply(Create.of(rows))
        .apply(
            Sinks.write(
                "kafka://"
                    + kafka.bootstrapServers()
                    + "/"
                    + topic
                    + "?delivery=exactly-once&shards=2&sinkGroup=it-"
                    + topic));
    p.run().waitUntilFinish();

    List<ConsumerRecord<String, String>> written = kafka.readAll(topic);
    assertEquals(sorted(rows), sorted(written.stream().map(ConsumerRecord::value).toList()));
    assertKeyedByField(written);
  }

  /**
   * A sink group's writers number their records and commit the next number with each transaction,
   * so input replayed under the same sink group (as a runner replays stable input after a failure)
   * is not written again: only what lies beyond the committed numbers is.
   */
  @Test
  public void exactlyOnce_rowsTheSinkGroupCommittedBefore_areNotWrittenAgain() {
    String topic = kafka.createTopic("sink-eos-replay", 2);
    String uri =
        "kafka://"
            + kafka.bootstrapServers()
            + "/"
            + topic
            + "?delivery=exactly-once&shards=2&sinkGroup=it-"
            + topic;

    writeInOrder(rows(40), uri);
    assertEquals(40, kafka.readAll(topic).size());
    // The same 40 rows in the same order, then 20 more: only those 20 are new.
    p.apply(Create.of(List.of(rows(60))))
        .apply(FlatMapElements.into(TypeDescriptors.strings()).via((List<String> batch) -> batch))
        .apply(Sinks.write(uri));
    p.run().waitUntilFinish();

    List<ConsumerRecord<String, String>> written = kafka.readAll(topic);
    assertEquals(sorted(rows(60)), sorted(written.stream().map(ConsumerRecord::value).toList()));
  }

  /** Writes rows from one element, so that each shard sees them in the order given. */
  private void writeInOrder(List<String> rows, String uri) {
    Pipeline pipeline = Pipeline.create(p.getOptions());
    pipeline
        .apply(Create.of(List.of(rows)))
        .apply(FlatMapElements.into(TypeDescriptors.strings()).via((List<String> batch) -> batch))
        .apply(Sinks.write(uri));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void rowsWithoutTheKeyField_areWrittenWithoutAKey() {
    String topic = kafka.createTopic("sink-nokey", 1);
    String deadLetter = "{\"payload\":\"oops\",\"error\":\"not valid JSON\",\"stage\":\"parse\"}";

    p.apply(Create.of(deadLetter))
        .apply(Sinks.write("kafka://" + kafka.bootstrapServers() + "/" + topic));
    p.run().waitUntilFinish();

    List<ConsumerRecord<String, String>> written = kafka.readAll(topic);
    assertEquals(1, written.size());
    assertEquals(deadLetter, written.get(0).value());
    assertNull(written.get(0).key());
  }
}
