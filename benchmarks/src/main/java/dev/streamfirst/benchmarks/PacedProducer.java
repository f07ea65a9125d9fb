package dev.streamfirst.benchmarks;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes canonical events to a Kafka topic at a fixed rate, each stamped with the wall clock as its
 * event time, and records the time the broker appended each one (the topic must use {@code
 * LogAppendTime}). Sends are asynchronous, so a slow acknowledgement never delays the next event.
 *
 * <pre>{@code
 * List<SentEvent> sent = new PacedProducer("127.0.0.1:9092", topic, 1000, 50, 0.01, 7)
 *     .produceUntil(() -> endMillis);
 * }</pre>
 */
final class PacedProducer {
  /** One event as written: its id, key, event time and the broker's append time (millis). */
  record SentEvent(String id, String key, long eventTime, long appendTime) {}

  private final String bootstrapServers;
  private final String topic;
  private final int ratePerSecond;
  private final int keys;
  private final double duplicates;
  private final Random random;

  PacedProducer(
      String bootstrapServers,
      String topic,
      int ratePerSecond,
      int keys,
      double duplicates,
      long seed) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.ratePerSecond = ratePerSecond;
    this.keys = keys;
    this.duplicates = duplicates;
    this.random = new Random(seed);
  }

  /**
   * Writes events from now until the wall clock reaches {@code endMillis}, which is asked again
   * before each event (so a caller may set it once the job has warmed up); a fraction {@code
   * duplicates} of them is written a second time right after (a re-delivery, which dedup drops).
   *
   * @return every event written once, copies not repeated, in the order written
   */
  List<SentEvent> produceUntil(LongSupplier endMillis) {
    SentLog log = new SentLog();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Each event leaves at once: batching would add its wait to every measured latency.
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    long periodNanos = 1_000_000_000L / ratePerSecond;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      long start = System.nanoTime();
      for (int i = 0; ; i++) {
        // Paced from the start, not from the previous send, so a stall is caught up, not carried.
        long due = start + i * periodNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        long now = System.currentTimeMillis();
        if (now >= endMillis.getAsLong()) {
          break;
        }
        int keyIndex = random.nextInt(keys);
        String key = key(keyIndex);
        String payload =
            "{\"id\":\""
                + id(i)
                + "\",\"key\":\""
                + key
                + "\",\"ts\":"
                + now
                + ",\"value\":"
                + random.nextInt(100)
                + "}";
        int index = log.add(keyIndex, now);
        producer.send(
            new ProducerRecord<>(topic, key, payload),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                log.appended(index, metadata.timestamp());
              }
            });
        if (random.nextDouble() < duplicates) {
          producer.send(new ProducerRecord<>(topic, key, payload));
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("writing events to " + topic + " failed", failure.get());
    }
    return log;
  }

  private static String id(int index) {
    return "ev-" + index;
  }

  private static String key(int index) {
    return "key-" + index;
  }

  /**
   * What was sent, about 20 bytes an event in primitive arrays (at 20,000 events/s for minutes, a
   * list of objects outgrew the client's heap), read back as {@link SentEvent}s made on demand.
   * Append times are written by the producer's callback thread into slots made before the send.
   */
  private static final class SentLog extends AbstractList<SentEvent> {
    private static final int CHUNK = 1 << 20;
    private final AtomicReferenceArray<long[]> appendTimes = new AtomicReferenceArray<>(4096);
    private final List<long[]> eventTimes = new ArrayList<>();
    private final List<int[]> keys = new ArrayList<>();
    private int size;

    int add(int key, long eventTime) {
      int index = size++;
      if (index % CHUNK == 0) {
        eventTimes.add(new long[CHUNK]);
        keys.add(new int[CHUNK]);
        appendTimes.set(index / CHUNK, new long[CHUNK]);
      }
      eventTimes.get(index / CHUNK)[index % CHUNK] = eventTime;
      keys.get(index / CHUNK)[index % CHUNK] = key;
      return index;
    }

    void appended(int index, long appendTime) {
      appendTimes.get(index / CHUNK)[index % CHUNK] = appendTime;
    }

    @Override
    public SentEvent get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      return new SentEvent(
          id(index),
          key(keys.get(index / CHUNK)[index % CHUNK]),
          eventTimes.get(index / CHUNK)[index % CHUNK],
          appendTimes.get(index / CHUNK)[index % CHUNK]);
    }

    @Override
    public int size() {
      return size;
    }
  }

  /** The rate actually achieved, for the report. */
  static double achievedRate(List<SentEvent> sent) {
    if (sent.size() < 2) {
      return 0;
    }
    long span = sent.get(sent.size() - 1).eventTime() - sent.get(0).eventTime();
    return span <= 0 ? 0 : (sent.size() - 1) * 1000.0 / span;
  }
}
