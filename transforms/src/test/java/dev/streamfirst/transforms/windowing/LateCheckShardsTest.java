package dev.streamfirst.transforms.windowing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.harness.FnApiLikeHarness;
import dev.streamfirst.transforms.harness.FnApiLikeHarness.Output;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/** How the lateness check spreads elements over its state keys. */
public class LateCheckShardsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  public void secondAndMinuteResolutionTimes_spreadOverEveryShard() {
    for (Duration resolution :
        new Duration[] {Duration.standardSeconds(1), Duration.standardMinutes(1)}) {
      FnApiLikeHarness shard = shardStep(TestPipeline.create());
      int elements = 8_000;
      for (int i = 0; i < elements; i++) {
        shard.processUnkeyed("e", T0.plus(resolution.multipliedBy(i)));
      }
      Map<Integer, Integer> perShard = countPerShard(shard);
      int shards = EventWindows.WithLateData.DEFAULT_SHARDS;
      double mean = (double) elements / shards;
      assertTrue(
          resolution + ": " + perShard.size() + " of " + shards + " shards used: " + perShard,
          perShard.size() == shards);
      for (int n : perShard.values()) {
        assertTrue(resolution + ": uneven " + perShard, n > mean * 0.7 && n < mean * 1.3);
      }
    }
  }

  @Test
  public void shardCount_followsTheJobsParallelism_whereItIsGiven() {
    TestPipeline p =
        TestPipeline.fromOptions(
            PipelineOptionsFactory.fromArgs("--targetParallelism=40").create());
    FnApiLikeHarness shard = shardStep(p);
    for (int i = 0; i < 20_000; i++) {
      shard.processUnkeyed("e", T0.plus(Duration.millis(137L * i)));
    }

    // Four shards per parallel worker, so that every worker has several.
    assertTrue("shards: " + countPerShard(shard).size(), countPerShard(shard).size() == 160);
  }

  @Test
  public void explicitShardCount_isValidatedAndUsed() {
    EventWindows.WithLateData<String> check =
        EventWindows.<String>of(WindowSpec.parse("fixed:1m")).withLateDeadLetters(s -> s);
    assertEquals(
        "withLateCheckShards() must be between 1 and 4096, got 0",
        assertThrows(IllegalArgumentException.class, () -> check.withLateCheckShards(0))
            .getMessage());

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity())
        .apply(check.withLateCheckShards(3));
    FnApiLikeHarness shard = FnApiLikeHarness.ofStep(p, "ShardForLateCheck");
    for (int i = 0; i < 1_000; i++) {
      shard.processUnkeyed("e", T0.plus(Duration.standardSeconds(i)));
    }
    assertEquals(3, countPerShard(shard).size());
  }

  private static FnApiLikeHarness shardStep(TestPipeline p) {
    p.enableAbandonedNodeEnforcement(false);
    p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity())
        .apply(EventWindows.<String>of(WindowSpec.parse("fixed:1m")).withLateDeadLetters(s -> s));
    return FnApiLikeHarness.ofStep(p, "ShardForLateCheck");
  }

  private static Map<Integer, Integer> countPerShard(FnApiLikeHarness shard) {
    Map<Integer, Integer> perShard = new TreeMap<>();
    for (Output o : shard.outputs()) {
      perShard.merge(((KV<Integer, ?>) o.value()).getKey(), 1, Integer::sum);
    }
    return perShard;
  }
}
