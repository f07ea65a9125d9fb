package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * Runs the dedup-state benchmark on a few thousand ids on the real broker and cluster: the dedup
 * operator's checkpointed state is there and grows with the live ids. No timing is asserted.
 */
public class DedupStateBenchmarkIT {
  @Test
  public void stateGrowsWithLiveIds() {
    Path work = Path.of("target", "benchmark-it").toAbsolutePath();
    BenchmarkServers servers = BenchmarkServers.shared(work);
    DedupStateBenchmark.Settings settings =
        DedupStateBenchmark.Settings.parse(
            "--ids=1000,3000", "--backends=hashmap", "--clocks=EVENT_TIME", "--checkpointMs=1000");

    List<DedupStateBenchmark.Series> series =
        DedupStateBenchmark.run(
            servers,
            settings,
            work,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertEquals(1, series.size());
    List<DedupStateBenchmark.Point> points = series.get(0).points();
    assertEquals(3, points.size());
    assertThat(points.get(0).dedupBytes(), greaterThan(0L));
    // Each id costs at least its own characters, so 2,000 more ids add more than 2,000 × 36 bytes.
    assertThat(points.get(1).dedupBytes() - points.get(0).dedupBytes(), greaterThan(72_000L));
    // Then every id is sent again: 3,000 copies dropped must leave the state as it was (a byte per
    // copy would already be 3,000).
    assertEquals(3_000, points.get(2).copies());
    assertEquals(3_000, points.get(2).liveIds());
    assertThat(Math.abs(points.get(2).dedupBytes() - points.get(1).dedupBytes()), lessThan(1_000L));
  }
}
