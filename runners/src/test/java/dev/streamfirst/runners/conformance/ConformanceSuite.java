package dev.streamfirst.runners.conformance;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.runners.PreparedRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The conformance suite, written once: every {@link ConformanceCase} run on the runner a subclass
 * names must write exactly the rows, dead letters and alerts that DirectRunner writes with one
 * worker (the reference, computed once per JVM). Nothing is normalised except the order of lines
 * and their split into files; dead letters are compared by payload, error and stage.
 *
 * <p>A subclass is one runner: {@code class FooConformanceTest extends ConformanceSuite} with a
 * constructor taking the case and {@link #runnerFlags()}.
 */
@RunWith(Parameterized.class)
public abstract class ConformanceSuite {
  private static final Duration JOB_TIMEOUT = Duration.standardMinutes(10);
  private static final List<String> REFERENCE_RUNNER =
      List.of("--runner=DirectRunner", "--targetParallelism=1");
  private static final Map<String, JobOutput> REFERENCE = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConformanceCase testCase;

  protected ConformanceSuite(ConformanceCase testCase) {
    this.testCase = testCase;
  }

  @Parameters(name = "{0}")
  public static List<Object[]> cases() {
    List<Object[]> cases = new ArrayList<>();
    ConformanceCase.all().forEach(c -> cases.add(new Object[] {c}));
    return cases;
  }

  /** The runner under test: {@code --runner} and its options. */
  protected abstract List<String> runnerFlags();

  @Test
  public void writesTheSameRowsDeadLettersAndAlertsAsTheReference() throws IOException {
    JobOutput expected = reference(testCase);
    assertFalse("the reference wrote no rows: " + testCase, expected.rows().isEmpty());
    assertFalse(
        "the reference wrote no dead letters: " + testCase, expected.deadLetters().isEmpty());
    if (testCase.bounded()) {
      // Independent of any runner: each malformed line is exactly one dead letter, as it was.
      assertEquals(sorted(CraftedInput.MALFORMED), payloads(expected));
    }

    JobOutput actual = run(testCase, getClass().getSimpleName(), runnerFlags());

    assertSameLines("rows", expected.rows(), actual.rows());
    assertSameLines("dead letters", expected.deadLetters(), actual.deadLetters());
    if (raisesAlerts(testCase)) {
      // Alerts hang on event-time timers and the watermark: a runner that hands a DoFn another
      // time for the watermark (the Fn API harness) opens or resolves them elsewhere.
      assertSameLines(
          "alerts",
          JobOutput.lines(outDir(testCase, "reference").resolve("alerts")),
          JobOutput.lines(outDir(testCase, getClass().getSimpleName()).resolve("alerts")));
    }
  }

  private static JobOutput reference(ConformanceCase c) {
    return REFERENCE.computeIfAbsent(c.name(), n -> run(c, "reference", REFERENCE_RUNNER));
  }

  /** Runs the case the way the launcher would, and reads what it wrote. */
  static JobOutput run(ConformanceCase c, String runnerName, List<String> runnerFlags) {
    Path out = outDir(c, runnerName);
    List<String> flags = new ArrayList<>(runnerFlags);
    flags.addAll(c.flags());
    flags.add("--sink=file://" + out.resolve("rows"));
    flags.add("--deadLetter=file://" + out.resolve("dead-letters"));
    if (raisesAlerts(c)) {
      // Not into the default, the working directory: a test writes only under its work dir.
      flags.add("--alertSink=file://" + out.resolve("alerts"));
    }
    PipelineResult result = PreparedRun.of(c.pipeline(), flags.toArray(new String[0])).run();
    PipelineResult.State state = result.waitUntilFinish(JOB_TIMEOUT);
    assertEquals(c + " on " + runnerName, PipelineResult.State.DONE, state);
    return JobOutput.read(out.resolve("rows"), out.resolve("dead-letters"));
  }

  private static Path outDir(ConformanceCase c, String runnerName) {
    return ConformanceCase.workDir().resolve(runnerName).resolve(c.slug());
  }

  private static boolean raisesAlerts(ConformanceCase c) {
    return AlertOptions.class.isAssignableFrom(c.pipeline().optionsClass());
  }

  private void assertSameLines(String what, List<String> expected, List<String> actual) {
    if (expected.equals(actual)) {
      return;
    }
    Set<String> onlyExpected = new HashSet<>(expected);
    actual.forEach(onlyExpected::remove);
    Set<String> onlyActual = new HashSet<>(actual);
    expected.forEach(onlyActual::remove);
    fail(
        String.format(
            "%s of %s on %s differ from DirectRunner's: %d expected, %d written;%n"
                + "  missing (first 5): %s%n  unexpected (first 5): %s",
            what,
            testCase,
            getClass().getSimpleName(),
            expected.size(),
            actual.size(),
            onlyExpected.stream().sorted().limit(5).toList(),
            onlyActual.stream().sorted().limit(5).toList()));
  }

  private static List<String> payloads(JobOutput output) throws IOException {
    List<String> payloads = new ArrayList<>();
    for (String letter : output.deadLetters()) {
      JsonNode fields = JSON.readTree(letter);
      payloads.add(fields.get(0).asText());
    }
    return sorted(payloads);
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }
}
