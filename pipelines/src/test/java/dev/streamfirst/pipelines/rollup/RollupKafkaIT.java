package dev.streamfirst.pipelines.rollup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Kind;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rollup pipeline from a Kafka topic to Kafka topics, on a real broker: result rows must equal
 * the independently computed answer, dead letters must be the malformed payloads exactly.
 */
public class RollupKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = java.time.Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final long TTL = 10 * MINUTE;
  private static final List<String> KEYS =
      List.of("sensor-1", "ключ-датчика", "a \"quoted\", key", "emoji-🌡️");

  private static KafkaBroker kafka;

  /** A fixed history: events with their times, and malformed payloads, in one topic. */
  private static String history;

  private static final List<Input> EVENTS = new ArrayList<>();
  private static final List<String> MALFORMED =
      List.of(
          "not json at all",
          "{\"id\":\"m1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\"}",
          "{\"id\":\"m2\",\"key\":\"k\",\"ts\":\"yesterday\",\"value\":1}",
          "{\"id\":\"m3\",\"key\":7,\"ts\":1795600800000,\"value\":1}");

  @BeforeClass
  public static void writeHistory() {
    kafka = KafkaBroker.shared();
    history = kafka.createTopic("rollup-history", 3);
    Random random = new Random(20261127);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Input e =
          new Input(
              "e-" + i,
              KEYS.get(random.nextInt(KEYS.size())),
              T0 + random.nextInt((int) (40 * MINUTE)),
              random.nextInt(20_000) / 100.0 - 50);
      records.add(record(history, e, i));
      if (i % 9 == 0) {
        records.add(record(history, e, i)); // a re-delivery
      }
      if (i % 23 == 0) {
        // the same id within the TTL, another value: must not count
        records.add(
            record(history, new Input(e.id(), e.key(), e.ts() + 90_000, e.value() + 1000), i));
      }
    }
    for (String malformed : MALFORMED) {
      // Stamped at the start of the history, so every replay range below includes them.
      records.add(new ProducerRecord<>(history, 0, T0, null, malformed));
    }
    Collections.shuffle(records, random);
    kafka.send(history, records);
  }

  /** The event as JSON with its time in one of the accepted forms; record time = event time. */
  private static ProducerRecord<String, String> record(String topic, Input e, int variant) {
    EventJson json =
        EventJson.event(e.id(), e.key(), new Instant(e.ts()), e.value()).with("site", "north");
    json =
        variant % 3 == 0
            ? json.withEpochMillis()
            : variant % 3 == 1 ? json.withOffset(ZoneOffset.ofHoursMinutes(5, 30)) : json;
    EVENTS.add(e);
    return new ProducerRecord<>(topic, null, e.ts(), e.key(), json.toJson());
  }

  private static RollupOptions options(String source, String sink, String dead, String... more) {
    List<String> args = new ArrayList<>(List.of(more));
    args.add("--runner=DirectRunner");
    args.add("--source=" + source);
    args.add("--sink=" + sink);
    args.add("--deadLetter=" + dead);
    args.add("--dedupTtl=10m");
    args.add("--window=fixed:5m");
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
        .withValidation()
        .as(RollupOptions.class);
  }

  private static String kafkaUri(String topic, String query) {
    return "kafka://"
        + kafka.bootstrapServers()
        + "/"
        + topic
        + (query.isEmpty() ? "" : "?" + query);
  }

  private static void runToCompletion(RollupOptions options) {
    PipelineResult.State state = RollupPipeline.create(options).run().waitUntilFinish();
    assertEquals(PipelineResult.State.DONE, state);
  }

  private static List<String> expectedRows(List<Input> events) {
    return ReferenceRollup.rollup(events, Kind.FIXED, 5 * MINUTE, 5 * MINUTE, TTL).stream()
        .map(ReferenceRollup::format)
        .sorted()
        .collect(Collectors.toList());
  }

  /** Rows read back from a topic, as key|start|end|count|sum|min|max|mean; all on time. */
  private static List<String> actualRows(List<ConsumerRecord<String, String>> records)
      throws IOException {
    List<String> rows = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      JsonNode row = JSON.readTree(record.value());
      assertEquals(record.value(), "ON_TIME", row.get("pane").asText());
      // Keyed by the event key, so one key's rows stay in order in one partition.
      assertEquals(row.get("key").asText(), record.key());
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

  private static List<String> deadLetterPayloads(String topic) throws IOException {
    List<String> payloads = new ArrayList<>();
    for (String value : kafka.readValues(topic)) {
      JsonNode letter = JSON.readTree(value);
      assertEquals("parse", letter.get("stage").asText());
      payloads.add(letter.get("payload").asText());
    }
    Collections.sort(payloads);
    return payloads;
  }

  private static List<Input> eventsIn(long from, long until) {
    return EVENTS.stream().filter(e -> e.ts() >= from && e.ts() < until).toList();
  }

  @Test
  public void replayUntilEnd_rowsMatchTheIndependentAnswer_deadLettersGoToATopic()
      throws IOException {
    String rows = kafka.createTopic("rollup-rows", 2);
    String dead = kafka.createTopic("rollup-dead", 1);

    runToCompletion(
        options(
            kafkaUri(history, "until=end"),
            kafkaUri(rows, "delivery=exactly-once&sinkGroup=rollup-it-" + rows),
            kafkaUri(dead, "")));

    assertEquals(expectedRows(EVENTS), actualRows(kafka.readAll(rows)));
    List<String> malformed = new ArrayList<>(MALFORMED);
    Collections.sort(malformed);
    assertEquals(malformed, deadLetterPayloads(dead));
  }

  @Test
  public void replayUntilInstant_rollsUpOnlyEarlierEvents() throws IOException {
    String rows = kafka.createTopic("rollup-rows-until", 1);
    String dead = kafka.createTopic("rollup-dead-until", 1);
    long until = T0 + 17 * MINUTE + 30_000;

    runToCompletion(
        options(
            kafkaUri(history, "until=" + new Instant(until)),
            kafkaUri(rows, ""),
            kafkaUri(dead, "")));

    List<String> expected = expectedRows(eventsIn(Long.MIN_VALUE, until));
    assertThat(expected.size(), greaterThan(5));
    assertEquals(expected, actualRows(kafka.readAll(rows)));
  }

  @Test
  public void replayFromInstant_toTheEnd_rollsUpOnlyLaterEvents() throws IOException {
    // The history was written shuffled: record timestamps are not in offset order, so where a
    // partition "starts" at the instant still holds earlier events, which must not count.
    String rows = kafka.createTopic("rollup-rows-from", 1);
    String dead = kafka.createTopic("rollup-dead-from", 1);
    // On a window boundary, so no window is cut in two by the start of the replay.
    long from = T0 + 20 * MINUTE;

    runToCompletion(
        options(
            kafkaUri(history, "from=" + new Instant(from) + "&until=end&time=record"),
            kafkaUri(rows, ""),
            kafkaUri(dead, "")));

    assertEquals(expectedRows(eventsIn(from, Long.MAX_VALUE)), actualRows(kafka.readAll(rows)));
    assertEquals(List.of(), kafka.readValues(dead));
  }

  @Test
  public void live_eventsOutOfOrderWithinMaxDisorder_areNotLate_andOffsetsAreCommitted()
      throws Exception {
    String input = kafka.createTopic("rollup-live-in", 1);
    String rows = kafka.createTopic("rollup-live-rows", 1);
    String dead = kafka.createTopic("rollup-live-dead", 1);
    String group = "rollup-live-" + input;
    // Event times advance 2 s per event; each arrives up to 25 s behind the latest before it,
    // inside maxDisorder=30s, and many windows end in between.
    Random random = new Random(7);
    List<Input> events = new ArrayList<>();
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    long latest = Long.MIN_VALUE;
    for (int i = 0; i < 200; i++) {
      long ts = T0 + i * 2_000L - random.nextInt(25_001);
      if (latest != Long.MIN_VALUE && ts < latest - 25_000) {
        ts = latest - 25_000;
      }
      latest = Math.max(latest, ts);
      Input e = new Input("live-" + i, KEYS.get(i % KEYS.size()), ts, i);
      events.add(e);
      records.add(
          new ProducerRecord<>(
              input,
              0,
              System.currentTimeMillis(),
              e.key(),
              EventJson.event(e.id(), e.key(), new Instant(ts), e.value()).toJson()));
    }
    kafka.send(input, records);
    List<String> expected =
        ReferenceRollup.rollup(events, Kind.FIXED, MINUTE, MINUTE, TTL).stream()
            .map(ReferenceRollup::format)
            .sorted()
            .collect(Collectors.toList());

    RollupOptions options =
        options(
            kafkaUri(input, "from=earliest&group=" + group + "&maxDisorder=30s"),
            kafkaUri(rows, ""),
            kafkaUri(dead, ""),
            "--blockOnRun=false");
    options.setWindow("fixed:1m");
    PipelineResult result = RollupPipeline.create(options).run();
    try {
      // Caught up, the watermark follows the clock, past every window: all rows come.
      long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(120);
      List<ConsumerRecord<String, String>> written = kafka.readAll(rows);
      while (written.size() < expected.size() && System.currentTimeMillis() < deadline) {
        Thread.sleep(500);
        written = kafka.readAll(rows);
      }
      assertEquals(expected, actualRows(written));
      // Committed as the runner finalizes checkpoints; the last one may still be pending.
      long committed = awaitCommitted(group, input, 1L, deadline);
      assertThat(committed, greaterThan(0L));
      assertThat(committed, org.hamcrest.Matchers.lessThanOrEqualTo(200L));
    } finally {
      result.cancel();
    }
  }

  /** The group's committed offset of the topic's partition 0, once it reaches {@code want}. */
  private static long awaitCommitted(String group, String topic, long want, long deadline)
      throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      long committed = -1;
      while (System.currentTimeMillis() < deadline) {
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata offset =
            offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
        committed = offset == null ? -1 : offset.offset();
        if (committed >= want) {
          break;
        }
        Thread.sleep(500);
      }
      return committed;
    }
  }
}
