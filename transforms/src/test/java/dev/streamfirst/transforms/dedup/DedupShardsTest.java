package dev.streamfirst.transforms.dedup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.harness.FnApiLikeHarness;
import dev.streamfirst.transforms.harness.FnApiLikeHarness.Output;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.Test;

/** How streaming dedup spreads ids over its state keys, and how many keys it uses. */
public class DedupShardsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final int IDS = 20_000;

  /** The two options of Flink's that matter here; Flink's own class is not on this classpath. */
  public interface FlinkLikeOptions extends PipelineOptions {
    Integer getMaxParallelism();

    void setMaxParallelism(Integer maxParallelism);

    Integer getParallelism();

    void setParallelism(Integer parallelism);
  }

  private static PipelineOptions flinkLike(String... args) {
    PipelineOptionsFactory.register(FlinkLikeOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(FlinkLikeOptions.class);
  }

  @Test
  public void withoutMaxParallelism_sequentialAndRandomIds_spreadEvenlyOverTheDefaultShards() {
    assertEvenSpread(shardStep(TestPipeline.create(), Dedup.byId(s -> s)), i -> "order-" + i, 16);
    assertEvenSpread(
        shardStep(TestPipeline.create(), Dedup.byId(s -> s)),
        i -> UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString(),
        16);
  }

  @Test
  public void maxParallelism_setsTheShardCount_soARescaledJobKeepsItsKeys() {
    TestPipeline p = TestPipeline.fromOptions(flinkLike("--maxParallelism=128", "--parallelism=2"));
    assertEvenSpread(shardStep(p, Dedup.byId(s -> s)), i -> "sensor-" + i + "-reading", 128);
  }

  @Test
  public void explicitShards_winOverTheOptions() {
    TestPipeline p = TestPipeline.fromOptions(flinkLike("--maxParallelism=128"));
    assertEvenSpread(shardStep(p, Dedup.byId((String s) -> s).withShards(7)), i -> "id" + i, 7);
  }

  private static FnApiLikeHarness shardStep(TestPipeline p, Dedup<String> dedup) {
    p.enableAbandonedNodeEnforcement(false);
    p.apply(TestStream.create(StringUtf8Coder.of()).advanceWatermarkToInfinity()).apply(dedup);
    return FnApiLikeHarness.ofStep(p, "ShardById");
  }

  private static void assertEvenSpread(
      FnApiLikeHarness shard, IntFunction<String> id, int expectedShards) {
    for (int i = 0; i < IDS; i++) {
      shard.processUnkeyed(id.apply(i), T0);
    }
    Map<Integer, Integer> perShard = new TreeMap<>();
    for (Output o : shard.outputs()) {
      perShard.merge(((KV<Integer, ?>) o.value()).getKey(), 1, Integer::sum);
    }
    assertEquals("shards used: " + perShard, expectedShards, perShard.size());
    // As even as a random assignment: every shard within five standard deviations of the mean.
    double mean = (double) IDS / expectedShards;
    double tolerance = 5 * Math.sqrt(mean);
    for (int n : perShard.values()) {
      assertTrue("uneven: " + perShard, Math.abs(n - mean) < tolerance);
    }
  }
}
