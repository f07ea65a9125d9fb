package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * Runs the latency benchmark for a few seconds on the real broker and cluster, both sinks, the
 * Streamfirst job and the native Flink one: every measured window has its one right row, and each
 * row gives one sample. It checks what is measured, never how fast (timings on a shared CI machine
 * mean nothing).
 */
public class LatencyBenchmarkIT {
  @Test
  public void bothVariantsAndSinks_everyWindowHasItsRow_andOneSampleEach() {
    BenchmarkServers servers = BenchmarkServers.shared(Path.of("target", "benchmark-it"));
    LatencyBenchmark.Settings settings =
        LatencyBenchmark.Settings.parse(
            "--rate=100",
            "--seconds=6",
            "--warmup=0",
            "--window=2s",
            "--keys=3",
            "--variants=streamfirst,native",
            // A busy CI machine may lag by many seconds; only correctness is checked here.
            "--caughtUp=60s");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    List<LatencyBenchmark.Result> results =
        LatencyBenchmark.run(
            servers, settings, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertEquals(4, results.size());
    for (LatencyBenchmark.Result result : results) {
      String run = result.variant() + " " + result.delivery();
      WindowLatency latency = result.latency();
      assertEquals(run + ": missing rows", 0, latency.missing);
      assertEquals(run + ": wrong rows", 0, latency.wrong);
      // 6 s of 2 s windows, 3 keys at 100 events/s: every key has events in every window.
      assertEquals(run, 9, latency.expectedRows);
      assertEquals(run, latency.expectedRows, latency.samples.size());
      assertTrue(run, latency.valid());
      // The producer runs on past the span until its last window's watermark can pass.
      assertThat(run, result.eventsSent(), greaterThan(700));
      assertThat(run + ": TaskManager CPU", result.taskManagerCpuPercent(), greaterThan(0.0));
      for (WindowLatency.Sample sample : latency.samples) {
        // The row waited for the last event of its window, so the time since it is the larger.
        assertThat(run, sample.sinceLastEvent(), greaterThan(sample.latency()));
      }
    }
    String table = printed.toString(StandardCharsets.UTF_8);
    assertThat(table, containsString("| streamfirst | exactly-once | 100 | 9 | 0 | 0 |"));
    assertThat(table, containsString("| native | at-least-once | 100 | 9 | 0 | 0 |"));
  }
}
