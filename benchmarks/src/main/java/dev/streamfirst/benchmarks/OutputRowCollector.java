package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the rollup's result rows from a Kafka topic while the job runs, as a downstream service
 * would ({@code read_committed}, so rows of an exactly-once sink count only once committed), and
 * notes the wall-clock time each row was handed to the consumer: the moment it became readable.
 *
 * <pre>{@code
 * try (OutputRowCollector rows = OutputRowCollector.start(bootstrap, topic)) {
 *   ...
 *   List<ReadRow> got = rows.rows();
 * }
 * }</pre>
 */
final class OutputRowCollector implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A result row as read: its key, window, count, pane, and when it became readable (millis). */
  record ReadRow(
      String key, long windowStart, long windowEnd, long count, String pane, long readAt) {}

  private final List<ReadRow> rows = new ArrayList<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;

  private OutputRowCollector(String bootstrapServers, String topic) {
    thread = new Thread(() -> consume(bootstrapServers, topic), "read-" + topic);
    thread.setDaemon(true);
  }

  static OutputRowCollector start(String bootstrapServers, String topic) {
    OutputRowCollector collector = new OutputRowCollector(bootstrapServers, topic);
    collector.thread.start();
    return collector;
  }

  /** The rows read so far, in the order they were read. */
  synchronized List<ReadRow> rows() {
    if (failure.get() != null) {
      throw new IllegalStateException("reading result rows failed", failure.get());
    }
    return new ArrayList<>(rows);
  }

  private void consume(String bootstrapServers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // A fetch returns as soon as one record is there, not after waiting to fill a batch.
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        var records = consumer.poll(Duration.ofMillis(50));
        long readAt = System.currentTimeMillis();
        List<ReadRow> batch = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
          batch.add(parse(record.value(), readAt));
        }
        synchronized (this) {
          rows.addAll(batch);
        }
      }
    } catch (IOException | RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  private static ReadRow parse(String value, long readAt) throws IOException {
    JsonNode row = JSON.readTree(value);
    return new ReadRow(
        row.path("key").asText(),
        Instant.parse(row.path("window_start").asText()).toEpochMilli(),
        Instant.parse(row.path("window_end").asText()).toEpochMilli(),
        row.path("count").asLong(),
        row.path("pane").asText(),
        readAt);
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
