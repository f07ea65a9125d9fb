package dev.streamfirst.io.kafka;

import dev.streamfirst.io.SecretReferences;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records to Kafka exactly once: a Kafka transaction per shard per bundle, which on Flink is
 * one per shard per checkpoint.
 *
 * <p>Each shard numbers its records in order (the number is kept in state) and commits, in the same
 * transaction as the records, the number of the next one as the sink group's offset for partition
 * {@code shard} of the topic. Its input is stable ({@code @RequiresStableInput}): a runner that
 * replays it after a failure replays the same records in the same order, so they get the same
 * numbers, and those below the committed offset, which a transaction already made visible, are
 * skipped. A writer per shard has its own transactional id, so a writer left over from a failed
 * attempt is fenced off when its successor starts.
 *
 * <p>Why not KafkaIO's exactly-once sink: it groups its input twice with a trigger that fires per
 * element and commits a transaction per group, so on Flink it committed a transaction per record
 * once each checkpoint completed, and fell behind at a few dozen records a second.
 */
final class TransactionalWriteFn extends DoFn<KV<Integer, KV<String, String>>, Void> {
  /** Open writers by sink group and shard, shared by this JVM's instances of the function. */
  private static final Map<String, ShardWriter> IDLE_WRITERS = new ConcurrentHashMap<>();

  private final String bootstrapServers;
  private final String topic;
  private final String sinkGroupId;
  private final HashMap<String, String> clientProperties;

  private final Counter written = Metrics.counter(TransactionalWriteFn.class, "records_committed");
  private final Counter skipped =
      Metrics.counter(TransactionalWriteFn.class, "records_already_committed");
  private final Counter transactions =
      Metrics.counter(TransactionalWriteFn.class, "transactions_committed");

  /** The number of this shard's next record. */
  @StateId("next")
  private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

  private transient Map<Integer, Batch> batches;

  TransactionalWriteFn(
      String bootstrapServers,
      String topic,
      String sinkGroupId,
      Map<String, String> clientProperties) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.sinkGroupId = sinkGroupId;
    this.clientProperties = new HashMap<>(clientProperties);
  }

  @StartBundle
  public void startBundle() {
    batches = new HashMap<>();
  }

  @RequiresStableInput
  @ProcessElement
  public void process(
      @Element KV<Integer, KV<String, String>> element, @StateId("next") ValueState<Long> next) {
    int shard = element.getKey();
    Batch batch = batches.computeIfAbsent(shard, s -> new Batch(takeWriter(s)));
    Long stored = next.read();
    long number = stored == null ? 0 : stored;
    next.write(number + 1);
    if (number < batch.writer.committedNext) {
      skipped.inc();
      return;
    }
    KV<String, String> record = element.getValue();
    batch.records.add(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
    batch.next = number + 1;
  }

  @FinishBundle
  public void finishBundle() {
    RuntimeException failure = null;
    for (Map.Entry<Integer, Batch> entry : batches.entrySet()) {
      Batch batch = entry.getValue();
      try {
        if (!batch.records.isEmpty()) {
          batch.writer.commit(batch.records, batch.next);
          written.inc(batch.records.size());
          transactions.inc();
        }
        IDLE_WRITERS.put(key(entry.getKey()), batch.writer);
      } catch (RuntimeException e) {
        // A writer that failed may hold an open or fenced transaction: start afresh on retry.
        batch.writer.close();
        failure = failure == null ? e : failure;
      }
    }
    batches = null;
    if (failure != null) {
      throw failure;
    }
  }

  @Teardown
  public void teardown() {
    if (batches != null) {
      batches.values().forEach(batch -> batch.writer.close());
    }
  }

  private ShardWriter takeWriter(int shard) {
    ShardWriter idle = IDLE_WRITERS.remove(key(shard));
    return idle != null ? idle : ShardWriter.open(this, shard);
  }

  private String key(int shard) {
    return bootstrapServers + "/" + topic + "/" + sinkGroupId + "/" + shard;
  }

  /** What one bundle writes to one shard. */
  private static final class Batch {
    final ShardWriter writer;
    final List<ProducerRecord<String, String>> records = new ArrayList<>();
    long next;

    Batch(ShardWriter writer) {
      this.writer = writer;
    }
  }

  /** A transactional producer of one shard, and the number of its next uncommitted record. */
  private static final class ShardWriter {
    private final KafkaProducer<String, String> producer;
    private final TopicPartition progress;
    private final ConsumerGroupMetadata group;
    long committedNext;

    private ShardWriter(
        KafkaProducer<String, String> producer,
        TopicPartition progress,
        ConsumerGroupMetadata group,
        long committedNext) {
      this.producer = producer;
      this.progress = progress;
      this.group = group;
      this.committedNext = committedNext;
    }

    static ShardWriter open(TransactionalWriteFn fn, int shard) {
      TopicPartition progress = new TopicPartition(fn.topic, shard);
      Map<String, Object> producerConfig =
          new HashMap<>(SecretReferences.resolve(fn.clientProperties));
      producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fn.bootstrapServers);
      producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, fn.sinkGroupId + "-" + shard);
      producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig);
      try {
        // Aborts whatever a writer of this shard left open, and fences that writer off.
        producer.initTransactions();
        return new ShardWriter(
            producer, progress, new ConsumerGroupMetadata(fn.sinkGroupId), committed(fn, progress));
      } catch (RuntimeException e) {
        producer.close();
        throw e;
      }
    }

    private static long committed(TransactionalWriteFn fn, TopicPartition progress) {
      Map<String, Object> consumerConfig =
          new HashMap<>(SecretReferences.resolve(fn.clientProperties));
      consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fn.bootstrapServers);
      consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, fn.sinkGroupId);
      consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      consumerConfig.put(
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
        OffsetAndMetadata committed = consumer.committed(Set.of(progress)).get(progress);
        return committed == null ? 0 : committed.offset();
      }
    }

    void commit(List<ProducerRecord<String, String>> records, long next) {
      producer.beginTransaction();
      records.forEach(producer::send);
      producer.sendOffsetsToTransaction(Map.of(progress, new OffsetAndMetadata(next)), group);
      producer.commitTransaction();
      committedNext = next;
    }

    void close() {
      producer.close();
    }
  }
}
