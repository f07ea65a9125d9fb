package dev.streamfirst.io.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Instant;
import org.junit.Test;

public class OffsetsInitializerTest {
  private static final TopicPartition P0 = new TopicPartition("events", 0);
  private static final TopicPartition P1 = new TopicPartition("events", 1);
  private static final List<TopicPartition> BOTH = List.of(P0, P1);

  /**
   * Two partitions as a broker would hold them. P0: offsets 3..7 kept (0..2 deleted by retention),
   * record timestamps 1000, 2000, ..., 5000. P1: offsets 0..1, timestamps 100, 200. A group has
   * committed offset 5 of P0 only.
   */
  private static final class TwoPartitions implements PartitionOffsets {
    private final Map<TopicPartition, Long> start = Map.of(P0, 3L, P1, 0L);
    private final Map<TopicPartition, long[]> timestamps =
        Map.of(P0, new long[] {1000, 2000, 3000, 4000, 5000}, P1, new long[] {100, 200});
    private final Map<TopicPartition, Long> committed = Map.of(P0, 5L);

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
      return only(partitions, start);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
      Map<TopicPartition, Long> end = new HashMap<>();
      partitions.forEach(p -> end.put(p, start.get(p) + timestamps.get(p).length));
      return end;
    }

    @Override
    public Map<TopicPartition, Long> offsetsForTimes(Map<TopicPartition, Long> times) {
      Map<TopicPartition, Long> found = new HashMap<>();
      times.forEach(
          (p, time) -> {
            long[] stamps = timestamps.get(p);
            for (int i = 0; i < stamps.length; i++) {
              if (stamps[i] >= time) {
                found.put(p, start.get(p) + i);
                return;
              }
            }
          });
      return found;
    }

    @Override
    public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
      return only(partitions, committed);
    }

    private static Map<TopicPartition, Long> only(
        Collection<TopicPartition> partitions, Map<TopicPartition, Long> offsets) {
      Map<TopicPartition, Long> out = new HashMap<>();
      partitions.forEach(
          p -> {
            if (offsets.containsKey(p)) {
              out.put(p, offsets.get(p));
            }
          });
      return out;
    }
  }

  private static Map<TopicPartition, Long> offsets(OffsetsInitializer initializer) {
    return initializer.offsets(BOTH, new TwoPartitions());
  }

  private static KafkaIO.Read<byte[], String> live(OffsetsInitializer initializer) {
    return initializer.startLive(KafkaIO.<byte[], String>read());
  }

  @Test
  public void earliest_isTheOldestOffsetKept() {
    assertEquals(Map.of(P0, 3L, P1, 0L), offsets(OffsetsInitializer.earliest()));
  }

  @Test
  public void latest_isTheEndOffset() {
    assertEquals(Map.of(P0, 8L, P1, 2L), offsets(OffsetsInitializer.latest()));
  }

  @Test
  public void timestamp_isTheFirstRecordAtOrAfterIt_orTheEndWhereThereIsNone() {
    assertEquals(
        Map.of(P0, 5L, P1, 2L), offsets(OffsetsInitializer.timestamp(Instant.ofEpochMilli(2500))));
  }

  @Test
  public void timestamp_atARecordsTime_startsAtThatRecord() {
    assertEquals(
        Map.of(P0, 4L, P1, 2L), offsets(OffsetsInitializer.timestamp(Instant.ofEpochMilli(2000))));
  }

  @Test
  public void timestampBeforeTheEpoch_startsAtTheOldestRecord() {
    assertEquals(
        Map.of(P0, 3L, P1, 0L), offsets(OffsetsInitializer.timestamp(Instant.ofEpochMilli(-5))));
  }

  @Test
  public void committed_isTheGroupsOffset_andTheResetWhereItHasNone() {
    assertEquals(
        Map.of(P0, 5L, P1, 0L),
        offsets(OffsetsInitializer.committed(OffsetsInitializer.earliest())));
    assertEquals(
        Map.of(P0, 5L, P1, 2L), offsets(OffsetsInitializer.committed(OffsetsInitializer.latest())));
  }

  @Test
  public void earliestAndLatest_setTheLiveConsumersOffsetReset() {
    assertEquals(
        "earliest",
        live(OffsetsInitializer.earliest())
            .getConsumerConfig()
            .get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
    assertEquals(
        "latest",
        live(OffsetsInitializer.latest())
            .getConsumerConfig()
            .get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
  }

  @Test
  public void committed_leavesTheOffsetsToTheGroup_andSetsOnlyTheReset() {
    KafkaIO.Read<byte[], String> read =
        live(OffsetsInitializer.committed(OffsetsInitializer.earliest()));

    assertEquals("earliest", read.getConsumerConfig().get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
    assertNull(read.getStartReadTime());
  }

  @Test
  public void timestamp_isTheLiveReadsStartReadTime() {
    Instant time = Instant.parse("2026-11-25T00:00:00Z");

    KafkaIO.Read<byte[], String> read = live(OffsetsInitializer.timestamp(time));

    assertEquals(time, read.getStartReadTime());
  }
}
