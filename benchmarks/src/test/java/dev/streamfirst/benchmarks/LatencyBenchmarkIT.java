package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * Runs the latency benchmark for a few seconds on the real broker and cluster, both sinks: every
 * measured window has its one right row, and each row gives one sample. It checks what is measured,
 * never how fast (timings on a shared CI machine mean nothing).
 */
public class LatencyBenchmarkIT {
  @Test
  public void bothSinks_everyWindowHasItsRow_andOneSampleEach() {
    BenchmarkServers servers = BenchmarkServers.shared(Path.of("target", "benchmark-it"));
    LatencyBenchmark.Settings settings =
        LatencyBenchmark.Settings.parse(
            "--rate=100",
            "--seconds=6",
            "--warmup=0",
            "--window=2s",
            "--keys=3",
            // A busy CI machine may lag by many seconds; only correctness is checked here.
            "--caughtUp=60s");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    List<LatencyBenchmark.Result> results =
        LatencyBenchmark.run(
            servers, settings, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertEquals(2, results.size());
    for (LatencyBenchmark.Result result : results) {
      WindowLatency latency = result.latency();
      assertEquals(result.delivery() + ": missing rows", 0, latency.missing);
      assertEquals(result.delivery() + ": wrong rows", 0, latency.wrong);
      // 6 s of 2 s windows, 3 keys at 100 events/s: every key has events in every window.
      assertEquals(9, latency.expectedRows);
      assertEquals(latency.expectedRows, latency.samples.size());
      assertThat(result.eventsSent(), greaterThan(600));
      for (WindowLatency.Sample sample : latency.samples) {
        assertEquals(sample.total(), sample.watermarkWait() + sample.processing());
      }
    }
    assertThat(printed.toString(StandardCharsets.UTF_8), containsString("| exactly-once |"));
  }
}
