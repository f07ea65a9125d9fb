package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Runs the latency benchmark for a few seconds on the real broker and cluster: the Streamfirst job
 * with both sinks, and the native Flink job with the exactly-once sink (its transactional producer
 * is the part most likely to break with a client version; the at-least-once path is the same job
 * minus transactions, left out to keep this test short). Every measured window has its one right
 * row, and each row gives one sample. It checks what is measured, never how fast (timings on a
 * shared CI machine mean nothing).
 */
public class LatencyBenchmarkIT {
  private static final String[] SHORT_RUN = {
    "--rate=100",
    "--seconds=6",
    "--warmup=0",
    "--window=2s",
    "--keys=3",
    // A busy CI machine may lag by many seconds; only correctness is checked here.
    "--caughtUp=60s"
  };

  @Test
  public void streamfirstBothSinks_nativeExactlyOnce_everyWindowHasItsRow_andOneSampleEach() {
    BenchmarkServers servers = BenchmarkServers.shared(Path.of("target", "benchmark-it"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    List<LatencyBenchmark.Result> results = new ArrayList<>();
    results.addAll(
        LatencyBenchmark.run(
            servers,
            settings("--variants=streamfirst", "--delivery=at-least-once,exactly-once"),
            out));
    results.addAll(
        LatencyBenchmark.run(
            servers, settings("--variants=native", "--delivery=exactly-once"), out));
    System.out.println(printed.toString(StandardCharsets.UTF_8));

    assertEquals(3, results.size());
    for (LatencyBenchmark.Result result : results) {
      String run = result.variant() + " " + result.delivery();
      assertNull(run + ": " + result.failure(), result.failure());
      WindowLatency latency = result.latency();
      assertEquals(run + ": missing rows", 0, latency.missing);
      assertEquals(run + ": wrong rows", 0, latency.wrong);
      // 6 s of 2 s windows, 3 keys at 100 events/s: every key has events in every window.
      assertEquals(run, 9, latency.expectedRows);
      assertEquals(run, latency.expectedRows, latency.samples.size());
      assertTrue(run, result.valid());
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
    assertThat(table, containsString("| native | exactly-once | 100 | 9 | 0 | 0 |"));
  }

  private static LatencyBenchmark.Settings settings(String... more) {
    List<String> flags = new ArrayList<>(List.of(SHORT_RUN));
    flags.addAll(List.of(more));
    return LatencyBenchmark.Settings.parse(flags.toArray(String[]::new));
  }
}
