package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/**
 * Runs the enrichment benchmark on a tiny input: every variant runs and is counted. It checks what
 * the benchmark measures, never how fast (timings on a shared CI machine mean nothing).
 */
public class EnrichBenchmarkSmokeTest {
  @Test
  public void everyVariantRunsAndBatchingAndCachingCutTheCalls() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<EnrichBenchmark.Row> rows =
        EnrichBenchmark.run(200, 0, 50, 1, new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(7, rows.size());
    for (EnrichBenchmark.Row row : rows) {
      assertEquals(200, row.events);
      assertThat(row.eventsPerSecond(), greaterThan(0.0));
    }
    EnrichBenchmark.Row perEventNoCache = rows.get(1);
    EnrichBenchmark.Row batchedNoCache = rows.get(2);
    EnrichBenchmark.Row batched99 = rows.get(6);
    assertEquals(200, perEventNoCache.lookups);
    assertEquals(200, perEventNoCache.keysFetched);
    assertThat(batchedNoCache.lookups, lessThan(200L / 10));
    // 99 % repeated keys: 2 distinct keys, each fetched about once however the bundles fall.
    assertThat(batched99.keysFetched, lessThan(20L));
    assertThat(printed.toString(StandardCharsets.UTF_8), containsString("| batched | 50 |"));
  }
}
