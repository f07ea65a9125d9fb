package dev.streamfirst.runners.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Canonical events written to a Kafka topic while a fault test runs, stamped with the wall clock as
 * a live producer would, so the source's watermark (latest event time, or the clock once caught up)
 * treats them as on time. Every tenth event is written twice, byte for byte, for dedup to drop.
 * What the broker acknowledged is kept: it is the input the expected answer is computed from.
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

  private static final long TICK_MS = 100;

  private final String topic;
  private final int perTick;
  private final int keys;
  private final KafkaProducer<String, String> producer;
  private final Thread thread;
  private final List<Event> sent = new ArrayList<>();
  private volatile boolean running = true;
  private boolean paused;
  private boolean idle;
  private long messages;
  private RuntimeException failure;

  private LiveEvents(String bootstrapServers, String topic, int perSecond, int keys) {
    this.topic = topic;
    this.perTick = Math.max(1, (int) (perSecond * TICK_MS / 1000));
    this.keys = keys;
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    this.thread = new Thread(this::produce, "live-events-" + topic);
    this.thread.setDaemon(true);
  }

  /** Starts writing {@code perSecond} events a second over {@code keys} keys. */
  static LiveEvents start(String bootstrapServers, String topic, int perSecond, int keys) {
    LiveEvents events = new LiveEvents(bootstrapServers, topic, perSecond, keys);
    events.thread.start();
    return events;
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
    producer.close(Duration.ofSeconds(10));
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
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < perTick; i++) {
          n++;
          Event event =
              new Event("e-" + n, "k" + (n % keys), System.currentTimeMillis(), (n * 7) % 100);
          String json =
              String.format(
                  Locale.ROOT,
                  "{\"id\":\"%s\",\"key\":\"%s\",\"ts\":%d,\"value\":%d}",
                  event.id(),
                  event.key(),
                  event.ts(),
                  event.value());
          int copies = n % 10 == 0 ? 2 : 1;
          for (int c = 0; c < copies; c++) {
            acks.add(producer.send(new ProducerRecord<>(topic, event.key(), json)));
          }
          batch.add(event);
        }
        producer.flush();
        for (Future<?> ack : acks) {
          ack.get(60, TimeUnit.SECONDS);
        }
        synchronized (this) {
          sent.addAll(batch);
          messages += acks.size();
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

  private synchronized void rethrow() {
    if (failure != null) {
      throw failure;
    }
  }
}
