package dev.streamfirst.io.kafka;

import dev.streamfirst.io.SecretReferences;
import dev.streamfirst.io.Secrets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Kafka clients made with the secret client properties added at the last moment.
 *
 * <p>KafkaIO shows every consumer and producer setting it is given as display data, which runners
 * put in their UIs and job descriptions. So the secret settings ({@link Secrets#isSecret}) are not
 * given to it as settings; these factories add them when a client is created, on the worker.
 */
final class ClientFactories {
  private ClientFactories() {}

  /** Splits properties into those that may be shown and those that may not. */
  static Map<String, Object> shown(Map<String, String> properties) {
    Map<String, Object> shown = new LinkedHashMap<>();
    properties.forEach(
        (name, value) -> {
          if (!Secrets.isSecret(name)) {
            shown.put(name, value);
          }
        });
    return shown;
  }

  static Map<String, String> hidden(Map<String, String> properties) {
    Map<String, String> hidden = new LinkedHashMap<>();
    properties.forEach(
        (name, value) -> {
          if (Secrets.isSecret(name)) {
            hidden.put(name, value);
          }
        });
    return hidden;
  }

  static SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> consumers(
      Map<String, String> secrets) {
    return new ConsumerFactory(new HashMap<>(secrets));
  }

  static <K, V> SerializableFunction<Map<String, Object>, Producer<K, V>> producers(
      Map<String, String> secrets) {
    return new ProducerFactory<>(new HashMap<>(secrets));
  }

  private static Map<String, Object> withSecrets(
      Map<String, Object> config, Map<String, String> secrets) {
    Map<String, Object> all = new HashMap<>(config);
    all.putAll(secrets);
    // Secret references (${env:..}, ${file:..}) are resolved here, on the worker, as the client
    // is made: everything before holds only the reference.
    return SecretReferences.resolveValues(all);
  }

  private static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private final HashMap<String, String> secrets;

    ConsumerFactory(HashMap<String, String> secrets) {
      this.secrets = secrets;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      return new KafkaConsumer<>(withSecrets(config, secrets));
    }

    @Override
    public String toString() {
      return "ConsumerFactory" + Secrets.mask(secrets);
    }
  }

  private static final class ProducerFactory<K, V>
      implements SerializableFunction<Map<String, Object>, Producer<K, V>> {
    private final HashMap<String, String> secrets;

    ProducerFactory(HashMap<String, String> secrets) {
      this.secrets = secrets;
    }

    @Override
    public Producer<K, V> apply(Map<String, Object> config) {
      return new KafkaProducer<>(withSecrets(config, secrets));
    }

    @Override
    public String toString() {
      return "ProducerFactory" + Secrets.mask(secrets);
    }
  }
}
