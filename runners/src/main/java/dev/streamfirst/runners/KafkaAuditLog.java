package dev.streamfirst.runners;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.SecretReferences;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.kafka.KafkaSink;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An audit log in a Kafka topic: one record per run, keyed by the job id, written with {@code
 * acks=all} by an idempotent producer and waited for, so a run's exit follows a durable record. The
 * URI is read as the Kafka sink's (client properties, {@code properties=} files, secret references
 * resolved here, in the launcher, which is where the record is written).
 */
final class KafkaAuditLog extends AuditLog {
  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final String uri;
  private final KafkaSink target;

  private KafkaAuditLog(String uri, KafkaSink target) {
    this.uri = uri;
    this.target = target;
  }

  /**
   * @throws IllegalArgumentException if {@code uri} is not a valid Kafka sink URI, naming the
   *     problem
   */
  static KafkaAuditLog of(String uri) {
    try {
      return new KafkaAuditLog(uri, KafkaSink.fromUri(IoUri.parse(uri)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--auditLog: " + e.getMessage(), e);
    }
  }

  @Override
  String describe() {
    return Secrets.maskUri(uri);
  }

  @Override
  void append(ObjectNode record) throws IOException {
    Map<String, Object> config = new HashMap<>(SecretReferences.resolve(target.clientProperties()));
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, SEND_TIMEOUT_SECONDS * 1000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT_SECONDS * 1000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT_SECONDS * 1000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      String key = record.path("jobId").asText(null);
      producer
          .send(new ProducerRecord<>(target.topic(), key, record.toString()))
          .get(SEND_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(
          "Kafka refused the audit record for topic '"
              + target.topic()
              + "': "
              + Secrets.maskUri(String.valueOf(e.getCause())),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "Kafka did not acknowledge the audit record for topic '"
              + target.topic()
              + "' within "
              + SEND_TIMEOUT_SECONDS
              + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing the audit record", e);
    }
  }
}
