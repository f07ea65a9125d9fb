package dev.streamfirst.pipelines.rollup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Kind;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.fuzz.MalformedPayload;
import dev.streamfirst.testing.fuzz.MalformedPayload.Outcome;
import dev.streamfirst.testing.fuzz.MalformedPayload.Sample;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * Bad input at scale: the whole fuzz corpus ({@link MalformedPayload}, a 10 MiB line included)
 * mixed into a live Kafka stream of valid events read by the rollup. Every malformed message must
 * be in the dead-letter topic exactly once with its exact bytes, the job must keep running, and the
 * rows must equal an answer computed independently from the valid events (and the corpus classes
 * decided to be accepted).
 */
public class RollupFuzzKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WINDOW = 5_000;
  private static final long TTL = 10 * 60_000;
  private static final List<String> KEYS = List.of("sensor-1", "ключ", "emoji-🌡️");
  // Room for the 10 MiB line and its dead letter (JSON escaping adds about a fifth).
  private static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

  @Test
  public void liveStreamWithTheWholeCorpus_deadLettersEachOnceExactly_rowsMatch() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String input = kafka.createTopic("fuzz-in", 2);
    String rows = kafka.createTopic("fuzz-rows", 1);
    String dead = kafka.createTopic("fuzz-dead", 1);
    allowLargeMessages(kafka, input, dead);

    RollupOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--blockOnRun=false",
                "--source=kafka://"
                    + kafka.bootstrapServers()
                    + "/"
                    + input
                    + "?from=earliest&group=fuzz-"
                    + input
                    + "&maxDisorder=3s",
                "--sink=kafka://" + kafka.bootstrapServers() + "/" + rows,
                "--deadLetter=kafka://"
                    + kafka.bootstrapServers()
                    + "/"
                    + dead
                    + "?kafka.max.request.size="
                    + MAX_MESSAGE_BYTES
                    + "&kafka.buffer.memory="
                    + 2 * MAX_MESSAGE_BYTES,
                "--dedupTtl=10m",
                "--window=fixed:5s")
            .withValidation()
            .as(RollupOptions.class);
    long started = System.currentTimeMillis();
    PipelineResult result = RollupPipeline.create(options).run();
    List<Input> events = new ArrayList<>();
    List<Sample> corpus;
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      // Event times are the clock's, as a live producer's are, so the watermark (which follows
      // the clock once the reader is caught up) never makes an event late.
      Random random = new Random(20261203);
      for (int i = 0; i < 150; i++) {
        events.add(sendEvent(producer, input, "a-" + i, KEYS.get(random.nextInt(KEYS.size()))));
        Thread.sleep(10);
      }
      corpus = MalformedPayload.corpus(1, java.time.Instant.ofEpochMilli(nowMillis()));
      List<Sample> shuffled = new ArrayList<>(corpus);
      Collections.shuffle(shuffled, random);
      for (Sample sample : shuffled) {
        producer.send(new ProducerRecord<>(input, sample.bytes()));
        events.add(sendEvent(producer, input, "b-" + sample.name(), KEYS.get(0)));
      }
      for (Sample sample : corpus) {
        if (sample.kind().outcome() == Outcome.ACCEPTED) {
          events.add(acceptedEvent(sample));
        }
      }
      for (int i = 0; i < 150; i++) {
        events.add(sendEvent(producer, input, "c-" + i, KEYS.get(random.nextInt(KEYS.size()))));
        Thread.sleep(10);
      }
      producer.flush();
    }

    try {
      List<String> expected =
          ReferenceRollup.rollup(events, Kind.FIXED, WINDOW, WINDOW, TTL).stream()
              .map(ReferenceRollup::format)
              .sorted()
              .collect(Collectors.toList());
      Map<String, byte[]> expectedDead = new TreeMap<>();
      for (Sample sample : corpus) {
        if (sample.kind().outcome() == Outcome.DEAD_LETTER) {
          expectedDead.put(sample.name(), sample.bytes());
        }
      }
      long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(90);
      List<ConsumerRecord<String, String>> written = kafka.readAll(rows);
      List<String> letters = kafka.readValues(dead);
      while ((written.size() < expected.size() || letters.size() < expectedDead.size())
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(1_000);
        written = kafka.readAll(rows);
        letters = kafka.readValues(dead);
      }
      // A little longer: a duplicate dead letter or row would show up now.
      Thread.sleep(3_000);
      written = kafka.readAll(rows);
      letters = kafka.readValues(dead);

      assertEquals(PipelineResult.State.RUNNING, result.getState());
      assertEquals(expected, actualRows(written));
      assertEachOnceWithExactBytes(expectedDead, letters);
      System.out.printf(
          "fuzz IT: %d valid events, %d corpus messages (%d dead-lettered), %d rows, %.1f s%n",
          events.size(),
          corpus.size(),
          expectedDead.size(),
          expected.size(),
          (System.currentTimeMillis() - started) / 1000.0);
    } finally {
      result.cancel();
    }
  }

  private static void assertEachOnceWithExactBytes(
      Map<String, byte[]> expected, List<String> letters) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    Map<String, String> reasons = new HashMap<>();
    for (String value : letters) {
      JsonNode letter = JSON.readTree(value);
      assertEquals(
          value.length() > 300 ? value.substring(0, 300) : value,
          "parse",
          letter.get("stage").asText());
      JsonNode encoding = letter.get("payloadEncoding");
      byte[] bytes =
          encoding == null
              ? letter.get("payload").textValue().getBytes(StandardCharsets.UTF_8)
              : Base64.getDecoder().decode(letter.get("payload").textValue());
      String key = Base64.getEncoder().encodeToString(bytes);
      seen.merge(key, 1, Integer::sum);
      reasons.put(key, letter.get("error").asText());
    }
    Map<String, String> wrong = new TreeMap<>();
    for (Map.Entry<String, byte[]> sample : expected.entrySet()) {
      String key = Base64.getEncoder().encodeToString(sample.getValue());
      int count = seen.getOrDefault(key, 0);
      if (count != 1) {
        wrong.put(sample.getKey(), count + " dead letters with its exact bytes");
      } else if (reasons.get(key).isBlank()) {
        wrong.put(sample.getKey(), "no reason");
      }
    }
    assertEquals("dead letters: " + wrong, Map.of(), wrong);
    assertEquals(expected.size(), letters.size());
    assertTrue(expected.size() >= 20);
  }

  /** Rows read back, as key|start|end|count|sum|min|max|mean (ReferenceRollup's format). */
  private static List<String> actualRows(List<ConsumerRecord<String, String>> records)
      throws Exception {
    List<String> rows = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      JsonNode row = JSON.readTree(record.value());
      assertEquals(record.value(), "ON_TIME", row.get("pane").asText());
      rows.add(
          String.join(
              "|",
              row.get("key").asText(),
              java.time.Instant.parse(row.get("window_start").asText()).toString(),
              java.time.Instant.parse(row.get("window_end").asText()).toString(),
              row.get("count").asText(),
              Double.toString(row.get("sum").asDouble()),
              Double.toString(row.get("min").asDouble()),
              Double.toString(row.get("max").asDouble()),
              Double.toString(row.get("mean").asDouble())));
    }
    Collections.sort(rows);
    return rows;
  }

  /** The event a corpus sample decided to be accepted stands for, read without our parser. */
  private static Input acceptedEvent(Sample sample) throws Exception {
    String text = new String(sample.bytes(), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    JsonNode node = JSON.readTree(text);
    return new Input(
        node.get("id").textValue(),
        node.get("key").textValue(),
        java.time.Instant.parse(node.get("ts").textValue()).toEpochMilli(),
        Double.parseDouble(node.get("value").asText()));
  }

  private static Input sendEvent(
      KafkaProducer<byte[], byte[]> producer, String topic, String id, String key) {
    long ts = nowMillis();
    double value = Math.floorMod(id.hashCode(), 2_000) / 10.0 - 100;
    String json = EventJson.event(id, key, new Instant(ts), value).toJson();
    producer.send(
        new ProducerRecord<>(
            topic,
            null,
            ts,
            key.getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_8)));
    return new Input(id, key, ts, value);
  }

  private static long nowMillis() {
    return System.currentTimeMillis();
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_MESSAGE_BYTES);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Raises the topics' message size limit (the broker's default is about 1 MB). */
  private static void allowLargeMessages(KafkaBroker kafka, String... topics) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new HashMap<>();
      for (String topic : topics) {
        changes.put(
            new ConfigResource(ConfigResource.Type.TOPIC, topic),
            List.of(
                new AlterConfigOp(
                    new ConfigEntry(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES)),
                    AlterConfigOp.OpType.SET)));
      }
      admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
    }
  }
}
