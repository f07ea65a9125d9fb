package dev.streamfirst.io.kafka;

import dev.streamfirst.io.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset ranges a replay reads: for every partition of its topics, from where the starting
 * {@link OffsetsInitializer} says to where the stopping one says, looked up on the brokers once.
 *
 * <p>This runs where the pipeline is built, so that is when "the end" is taken: records written
 * later are not read, and a replay reads a fixed history. A wrong address, login or topic fails the
 * launch, in one line.
 */
final class ReplayRanges {
  private ReplayRanges() {}

  /**
   * The non-empty ranges of {@code topics} on {@code servers}, asked with {@code consumerConfig}
   * (secrets included).
   */
  static List<PartitionRange> lookUp(
      String servers,
      Map<String, String> clientProperties,
      List<String> topics,
      Map<String, Object> consumerConfig,
      OffsetsInitializer start,
      OffsetsInitializer stop) {
    // A consumer retries a refused login or a denied topic quietly, and an unreachable broker
    // for its whole timeout; the check says which it is, in one line.
    BrokerCheck.check(servers, clientProperties, topics, BrokerCheck.Access.READ)
        // A missing topic is said by BrokerOffsets.partitions, with the topics that do exist.
        .filter(problem -> problem.kind() != BrokerCheck.Kind.NO_TOPIC)
        .ifPresent(
            problem -> {
              throw new IllegalStateException(problem.message());
            });
    try (BrokerOffsets broker =
        BrokerOffsets.open(consumerConfig, lookupTimeout(clientProperties))) {
      List<TopicPartition> partitions = broker.partitions(servers, topics);
      Map<TopicPartition, Long> to = stop.offsets(partitions, broker);
      Map<TopicPartition, Long> from = start.offsets(partitions, broker);
      return between(partitions, from, to);
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot look up the offsets of "
              + String.join(",", topics)
              + " on "
              + servers
              + " to launch a replay: "
              + e.getClass().getSimpleName()
              + ": "
              + Secrets.maskUri(String.valueOf(e.getMessage())),
          e);
    }
  }

  /** Each partition's range {@code [from, to)}, leaving out those with nothing to read. */
  static List<PartitionRange> between(
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> to) {
    List<PartitionRange> ranges = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      long start = from.get(partition);
      long end = to.get(partition);
      if (start < end) {
        ranges.add(PartitionRange.of(partition.topic(), partition.partition(), start, end));
      }
    }
    return ranges;
  }

  /**
   * How long a look-up of partitions and offsets may take: the client's own {@code
   * default.api.timeout.ms} when the URI sets it ({@code kafka.default.api.timeout.ms=30000}), else
   * {@link BrokerCheck#DEFAULT_TIMEOUT}, so an unreachable broker fails the launch in seconds.
   */
  private static java.time.Duration lookupTimeout(Map<String, String> clientProperties) {
    return java.time.Duration.ofMillis(BrokerCheck.timeout(clientProperties).getMillis());
  }
}
