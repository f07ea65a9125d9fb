package dev.streamfirst.runners.faults;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on one topic as Kafka's own tools report it: the records written that the
 * group has not committed, summed over the partitions. A Beam job with {@code group=} commits the
 * offsets a checkpoint holds when it completes, so this is what the job has not yet read and made
 * safe.
 */
final class ConsumerLag implements AutoCloseable {
  private final Admin admin;
  private final String group;
  private final String topic;

  ConsumerLag(String bootstrapServers, String group, String topic) {
    this.admin =
        Admin.create(
            Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    this.group = group;
    this.topic = topic;
  }

  /**
   * Records written to the topic and not committed by the group (all of them before its first
   * commit).
   */
  long now() throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    int partitions =
        admin
            .describeTopics(java.util.List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long lag = 0;
    for (var end : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      lag += end.getValue().offset() - (done == null ? 0 : done.offset());
    }
    return lag;
  }

  @Override
  public void close() {
    admin.close();
  }
}
