package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The parse benchmark on a tiny input: every variant runs and counts sensibly; no timing. */
@RunWith(JUnit4.class)
public class ParseBenchmarkSmokeTest {

  @Test
  public void everyVariantParses_andOursAcceptsOnlyJsonObjects() throws Exception {
    List<ParseBenchmark.Result> results =
        ParseBenchmark.run(
            2_000, 1, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertEquals(3, results.size());
    ParseBenchmark.Result ours = results.get(0);
    ParseBenchmark.Result readTree = results.get(2);
    // The generator makes 1 % malformed events and 5 % copies: most payloads are valid events,
    // some are not, and every valid event is a JSON object.
    assertThat(ours.valid(), greaterThan(1_900L));
    assertThat(ours.valid(), lessThan(2_100L));
    assertThat(readTree.valid(), greaterThanOrEqualTo(ours.valid()));
    for (ParseBenchmark.Result r : results) {
      assertThat(r.variant(), r.payloadsPerSecond(), greaterThan(0.0));
    }
  }
}
