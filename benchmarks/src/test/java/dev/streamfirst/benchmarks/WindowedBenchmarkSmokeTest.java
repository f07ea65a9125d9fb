package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The sessions and sensors benchmark on a tiny input: every variant runs, ours agree with the plain
 * loop row for row (the run throws otherwise), and the built-ins give as many rows as ours. The
 * built-ins' rows are not required to agree row for row: on the DirectRunner their sessions were
 * seen, in one run of three, to hold one event more than the loop's, a difference the benchmark
 * reports in its table rather than hides. No timing is asserted.
 */
public class WindowedBenchmarkSmokeTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void everyVariantRuns_andAllAgree() throws Exception {
    WindowedBenchmark.Config config =
        new WindowedBenchmark.Config(
            List.of(WindowedLogic.SESSIONS, WindowedLogic.SENSORS),
            600,
            300,
            20,
            500,
            7,
            tmp.getRoot().toPath(),
            "");

    List<WindowedBenchmark.Result> results =
        WindowedBenchmark.run(
            config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertEquals(12, results.size());
    for (WindowedBenchmark.Result r : results) {
      if (r.variant().startsWith("Streamfirst")) {
        assertEquals(r.variant(), "agrees", r.verdict());
        assertTrue(r.variant(), r.rows() > 0);
      } else if (r.variant().startsWith("Beam built-ins")) {
        // Same input as ours on the same runner, which agrees with the loop: as many windows.
        long oursRows =
            results.stream()
                .filter(
                    ours ->
                        ours.pipeline() == r.pipeline()
                            && ours.lines() == r.lines()
                            && ours.variant().startsWith("Streamfirst"))
                .findFirst()
                .orElseThrow()
                .rows();
        assertEquals(r.variant() + " rows", oursRows, r.rows());
      }
    }
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    WindowedBenchmark.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
    String printed = table.toString(StandardCharsets.UTF_8);
    for (String variant :
        List.of(
            "Streamfirst sessions, DirectRunner",
            "Beam built-ins sessions, FlinkRunner [local]",
            "Streamfirst sensors, FlinkRunner [local]",
            "Beam built-ins sensors, DirectRunner")) {
      assertThat(printed, containsString(variant));
    }
    assertThat(printed, containsString("sessions, ours ÷ Beam built-ins, DirectRunner"));
  }
}
