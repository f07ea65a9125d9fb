package dev.streamfirst.transforms.dedup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.harness.FnApiLikeHarness;
import dev.streamfirst.transforms.harness.FnApiLikeHarness.Output;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.Test;

/** How dedup keys its state: a bounded input in even groups of ids, an unbounded one by id. */
public class DedupKeysTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final int IDS = 20_000;

  @Test
  public void boundedInput_sequentialAndRandomIds_spreadEvenlyOverTheBoundedGroups() {
    assertEvenSpread(
        shardStep(TestPipeline.create(), IDS), IDS, i -> "order-" + i, Dedup.BOUNDED_SHARDS);
    assertEvenSpread(
        shardStep(TestPipeline.create(), IDS),
        IDS,
        i -> UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString(),
        Dedup.BOUNDED_SHARDS);
  }

  @Test
  public void largeBoundedInput_getsAGroupPerGroupSizeOfItsElements_soNoGroupGrowsWithIt() {
    // The step learns the input's count as a side input: 200,000 elements in groups of about 100
    // make 2,000 groups, each near 100 elements, where a fixed number of groups would hold more
    // and more of a growing input.
    int count = 200_000;
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(org.apache.beam.sdk.transforms.Create.of("x"))
        .apply(Dedup.byId((String s) -> s).withBoundedGroupSize(100));
    assertEvenSpread(
        FnApiLikeHarness.ofStep(p, "ShardById").withSideInput("inputCount", (long) count),
        count,
        i -> "order-" + i,
        count / 100);
  }

  @Test
  public void boundedGroups_atLeastTheMinimum_thenOneMorePerGroupSize() {
    assertEquals(Dedup.BOUNDED_SHARDS, Dedup.boundedShards(0, 100));
    assertEquals(Dedup.BOUNDED_SHARDS, Dedup.boundedShards(102_400, 100));
    assertEquals(Dedup.BOUNDED_SHARDS + 1, Dedup.boundedShards(102_401, 100));
    assertEquals(Integer.MAX_VALUE, Dedup.boundedShards(Long.MAX_VALUE, 1));
  }

  @Test
  public void unboundedInput_copiesOfAnIdShareAGroup_andIdsSpreadEvenlyOverTheGroups() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity())
        .apply(Dedup.byId((String s) -> s.substring(0, s.indexOf(':'))).withStreamingGroups(200));
    FnApiLikeHarness groupById = FnApiLikeHarness.ofStep(p, "GroupById");
    groupById.processUnkeyed("order-7:a", T0);
    groupById.processUnkeyed("order-7:b", T0);
    List<Output> copies = groupById.outputs();
    assertEquals(
        List.of("order-7:a", "order-7:b"), copies.stream().map(o -> kv(o).getValue()).toList());
    assertEquals(kv(copies.get(0)).getKey(), kv(copies.get(1)).getKey());

    FnApiLikeHarness spread = FnApiLikeHarness.ofStep(p, "GroupById");
    assertEvenSpread(spread, IDS, i -> "order-" + i + ":x", 200);
  }

  @Test
  public void unboundedInput_byDefault_spreadsEvenlyOverTheDefaultGroups() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity())
        .apply(Dedup.byId((String s) -> s));
    int groups = Dedup.DEFAULT_STREAMING_GROUPS;
    assertEvenSpread(
        FnApiLikeHarness.ofStep(p, "GroupById"), 20 * groups, i -> "sensor-" + i, groups);
  }

  @SuppressWarnings("unchecked")
  private static KV<Integer, String> kv(Output output) {
    return (KV<Integer, String>) output.value();
  }

  private static FnApiLikeHarness shardStep(TestPipeline p, long inputCount) {
    p.enableAbandonedNodeEnforcement(false);
    p.apply(org.apache.beam.sdk.transforms.Create.of("x")).apply(Dedup.byId((String s) -> s));
    return FnApiLikeHarness.ofStep(p, "ShardById").withSideInput("inputCount", inputCount);
  }

  private static void assertEvenSpread(
      FnApiLikeHarness shard, int ids, IntFunction<String> id, int expectedShards) {
    for (int i = 0; i < ids; i++) {
      shard.processUnkeyed(id.apply(i), T0);
    }
    Map<Integer, Integer> perShard = new TreeMap<>();
    for (Output o : shard.outputs()) {
      perShard.merge(((KV<Integer, ?>) o.value()).getKey(), 1, Integer::sum);
    }
    assertEquals("shards used: " + perShard, expectedShards, perShard.size());
    // As even as a random assignment: every shard within five standard deviations of the mean.
    double mean = (double) ids / expectedShards;
    double tolerance = 5 * Math.sqrt(mean);
    for (int n : perShard.values()) {
      assertTrue("uneven: " + perShard, Math.abs(n - mean) < tolerance);
    }
  }
}
