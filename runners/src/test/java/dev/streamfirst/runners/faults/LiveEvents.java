package dev.streamfirst.runners.faults;

import dev.streamfirst.testing.servers.pubsub.PubsubEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Canonical events written to a Kafka topic (or a Pub/Sub topic) while a fault test runs, stamped
 * with the wall clock as a live producer would, so the source's watermark (latest event time, or
 * the clock once caught up) treats them as on time. Every tenth event is written twice, byte for
 * byte, for dedup to drop. What the broker acknowledged is kept: it is the input the expected
 * answer is computed from.
 *
 * <pre>{@code
 * try (LiveEvents events = LiveEvents.start(bootstrap, topic, 50, 5)) {
 *   ...
 *   events.stop();
 *   RollupAnswer.of(events.sent(), windowMillis);
 * }
 * }</pre>
 */
final class LiveEvents implements AutoCloseable {
  /** One event the broker acknowledged. */
  record Event(String id, String key, long ts, long value) {}

  /** Where the events go: writes one tick's messages and returns once all are acknowledged. */
  private interface Writer {
    void write(List<Message> messages) throws Exception;

    void close();
  }

  /** One message to write: the event and its JSON, the same bytes for each copy. */
  private record Message(Event event, String json) {}

  private static final long TICK_MS = 100;

  private final String topic;
  private final int perTick;
  private final int keys;
  private final Writer writer;
  private final Thread thread;
  private final List<Event> sent = new ArrayList<>();
  private final List<Event> resends = new ArrayList<>();
  private volatile boolean running = true;
  private boolean paused;
  private boolean idle;
  private long messages;
  private RuntimeException failure;

  private LiveEvents(String topic, int perSecond, int keys, Writer writer) {
    this.topic = topic;
    this.perTick = Math.max(1, (int) (perSecond * TICK_MS / 1000));
    this.keys = keys;
    this.writer = writer;
    this.thread = new Thread(this::produce, "live-events-" + topic);
    this.thread.setDaemon(true);
  }

  /** Starts writing {@code perSecond} events a second over {@code keys} keys to a Kafka topic. */
  static LiveEvents start(String bootstrapServers, String topic, int perSecond, int keys) {
    return start(topic, perSecond, keys, kafka(bootstrapServers, topic));
  }

  /**
   * Starts publishing {@code perSecond} events a second over {@code keys} keys to a Pub/Sub topic,
   * each message with its event time in attribute {@code ts} (milliseconds since the epoch), for
   * the source's {@code timestampAttribute=ts}. Copies are published separately, so Pub/Sub gives
   * them message ids of their own: only dedup by the event's id drops them.
   */
  static LiveEvents startPubsub(PubsubEmulator pubsub, String topicPath, int perSecond, int keys) {
    return start(topicPath, perSecond, keys, pubsub(pubsub, topicPath));
  }

  private static LiveEvents start(String topic, int perSecond, int keys, Writer writer) {
    LiveEvents events = new LiveEvents(topic, perSecond, keys, writer);
    events.thread.start();
    return events;
  }

  private static Writer kafka(String bootstrapServers, String topic) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    return new Writer() {
      @Override
      public void write(List<Message> messages) throws Exception {
        List<Future<?>> acks = new ArrayList<>();
        for (Message m : messages) {
          acks.add(producer.send(new ProducerRecord<>(topic, m.event().key(), m.json())));
        }
        producer.flush();
        for (Future<?> ack : acks) {
          ack.get(60, TimeUnit.SECONDS);
        }
      }

      @Override
      public void close() {
        producer.close(Duration.ofSeconds(10));
      }
    };
  }

  private static Writer pubsub(PubsubEmulator pubsub, String topicPath) {
    return new Writer() {
      @Override
      public void write(List<Message> messages) {
        // One request per tick; the emulator answers once it has stored them all.
        pubsub.publish(
            topicPath,
            messages.stream()
                .map(
                    m ->
                        PubsubEmulator.Message.of(
                            m.json(), Map.of("ts", Long.toString(m.event().ts()))))
                .toList());
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Writes a copy of each of {@code events} (sent earlier) with the next tick's messages: a
   * re-delivery that arrives long after the original, e.g. across a job's restart.
   */
  synchronized void resend(List<Event> events) {
    resends.addAll(events);
  }

  /** Stops writing, once the batch in flight is acknowledged; returns when nothing is in flight. */
  synchronized void pause() throws InterruptedException {
    paused = true;
    while (!idle && failure == null) {
      wait(100);
    }
    rethrow();
  }

  synchronized void resume() {
    paused = false;
    notifyAll();
  }

  /** Stops for good and waits for the last batch; fails if any write failed. */
  void stop() throws InterruptedException {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    thread.join(TimeUnit.SECONDS.toMillis(60));
    rethrow();
  }

  /** The events the broker acknowledged, each once. */
  synchronized List<Event> sent() {
    return List.copyOf(sent);
  }

  /** Messages written, copies included. */
  synchronized long messages() {
    return messages;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    thread.join(TimeUnit.SECONDS.toMillis(60));
    writer.close();
  }

  private void produce() {
    long n = 0;
    try {
      while (running) {
        synchronized (this) {
          while (paused && running) {
            idle = true;
            notifyAll();
            wait(100);
          }
          idle = false;
        }
        if (!running) {
          break;
        }
        long started = System.currentTimeMillis();
        List<Event> batch = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < perTick; i++) {
          n++;
          Event event =
              new Event("e-" + n, "k" + (n % keys), System.currentTimeMillis(), (n * 7) % 100);
          String json = json(event);
          int copies = n % 10 == 0 ? 2 : 1;
          for (int c = 0; c < copies; c++) {
            messages.add(new Message(event, json));
          }
          batch.add(event);
        }
        synchronized (this) {
          for (Event copy : resends) {
            messages.add(new Message(copy, json(copy)));
          }
          resends.clear();
        }
        writer.write(messages);
        synchronized (this) {
          sent.addAll(batch);
          this.messages += messages.size();
        }
        long rest = TICK_MS - (System.currentTimeMillis() - started);
        if (rest > 0) {
          Thread.sleep(rest);
        }
      }
    } catch (Exception e) {
      synchronized (this) {
        failure = new IllegalStateException("writing the input to " + topic + " failed: " + e, e);
        notifyAll();
      }
    } finally {
      synchronized (this) {
        idle = true;
        notifyAll();
      }
    }
  }

  /** The event's message: the same bytes every time, so a copy is byte for byte the original. */
  private static String json(Event event) {
    return String.format(
        Locale.ROOT,
        "{\"id\":\"%s\",\"key\":\"%s\",\"ts\":%d,\"value\":%d}",
        event.id(),
        event.key(),
        event.ts(),
        event.value());
  }

  private synchronized void rethrow() {
    if (failure != null) {
      throw failure;
    }
  }
}
