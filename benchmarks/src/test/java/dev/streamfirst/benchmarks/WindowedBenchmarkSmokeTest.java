package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The sessions and sensors benchmark on a tiny input: every variant runs, ours agree with the plain
 * loop (the run throws otherwise), and so do the built-ins here. No timing is asserted.
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
      if (!r.variant().equals("plain Java loop")) {
        assertEquals(r.variant(), "agrees", r.verdict());
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
