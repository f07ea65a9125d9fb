package dev.streamfirst.io.kafka;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.Test;

public class ReplayRangesTest {
  private static final TopicPartition P0 = new TopicPartition("events", 0);
  private static final TopicPartition P1 = new TopicPartition("events", 1);
  private static final TopicPartition P2 = new TopicPartition("events", 2);

  @Test
  public void between_keepsEachPartitionsRange_andLeavesOutThoseWithNothingToRead() {
    List<PartitionRange> ranges =
        ReplayRanges.between(
            List.of(P0, P1, P2), Map.of(P0, 3L, P1, 7L, P2, 9L), Map.of(P0, 8L, P1, 7L, P2, 4L));

    assertEquals(List.of(PartitionRange.of("events", 0, 3, 8)), ranges);
  }
}
