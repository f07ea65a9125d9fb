package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The benchmark on a tiny input, one round: every variant runs in its own JVM and they all agree
 * (the run throws otherwise). No timing is asserted: figures come from the real benchmark, not from
 * tests.
 */
public class RollupBenchmarkSmokeTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void everyVariantRuns_andAllAgree() throws Exception {
    RollupBenchmark.Config config =
        new RollupBenchmark.Config(
            1500,
            600,
            20,
            0.05,
            0.01,
            "5s",
            7,
            tmp.getRoot().toPath(),
            1,
            "",
            // Each variant starts a JVM of its own; on inputs this small the JIT's top tier only
            // costs time, and the serial collector starts fastest (about half the time here).
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    List<RollupBenchmark.Result> results =
        RollupBenchmark.run(config, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertEquals(7, results.size());
    // Ours, native Flink and the loop agree (run() throws otherwise); say so in the table.
    for (RollupBenchmark.Result r : results) {
      assertEquals(r.variant(), 1, r.seconds().size());
      assertThat(r.variant(), r.peakHeapBytes(), greaterThan(0L));
      if (r.variant().startsWith("Streamfirst") || r.variant().startsWith("native")) {
        assertEquals(r.variant(), "agrees", r.verdict());
      }
    }
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    RollupBenchmark.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
    String printed = table.toString(StandardCharsets.UTF_8);
    for (String variant :
        List.of(
            "plain Java loop",
            "native Flink DataStream",
            "Streamfirst rollup, FlinkRunner [local]",
            "Beam built-ins, FlinkRunner [local]",
            "Streamfirst rollup, DirectRunner",
            "Beam built-ins, DirectRunner")) {
      assertThat(printed, containsString(variant));
    }
    assertThat(printed, containsString("peak heap MiB"));
    assertThat(printed, containsString("(a)/(c) ours on FlinkRunner [local] ÷ native Flink"));
  }
}
