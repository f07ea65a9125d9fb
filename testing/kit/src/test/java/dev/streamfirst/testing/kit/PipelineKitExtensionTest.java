package dev.streamfirst.testing.kit;

import static dev.streamfirst.testing.kit.ExpectedRow.row;
import static org.junit.Assert.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The JUnit 5 extension, run through the JUnit Platform as a user's build would run it: a kit is
 * injected, a passing scenario passes, a wrong expectation fails, and a run left unrun fails.
 */
public class PipelineKitExtensionTest {
  @org.junit.Test
  public void injectedKit_runsAPassingScenario() {
    assertEquals(0, run("passes").getTotalFailureCount());
    assertEquals(1, run("passes").getTestsSucceededCount());
  }

  @org.junit.Test
  public void wrongExpectation_failsTheTest() {
    TestExecutionSummary summary = run("wrongCount");
    assertEquals(1, summary.getTotalFailureCount());
    assertEquals(AssertionError.class, summary.getFailures().get(0).getException().getClass());
  }

  @org.junit.Test
  public void preparedButNotRun_failsTheTest() {
    TestExecutionSummary summary = run("neverRun");
    assertEquals(1, summary.getTotalFailureCount());
    assertEquals(
        true, summary.getFailures().get(0).getException().getMessage().contains("never run"));
  }

  private static TestExecutionSummary run(String method) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectMethod(Scenarios.class, method, PipelineKit.class.getName()))
            .build(),
        listener);
    return listener.getSummary();
  }

  /** A user's JUnit 5 test class; run only through {@link #run}. */
  @ExtendWith(PipelineKitExtension.class)
  static class Scenarios {
    @Test
    void passes(PipelineKit kit) {
      PipelineRun run = kit.pipeline("rollup").readLines(line("e-1"), line("e-2"));
      run.rows().containsRows(row("key", "k", "count", 2));
      run.run();
    }

    @Test
    void wrongCount(PipelineKit kit) {
      PipelineRun run = kit.pipeline("rollup").readLines(line("e-1"));
      run.rows().containsRows(row("key", "k", "count", 5));
      run.run();
    }

    @Test
    void neverRun(PipelineKit kit) {
      kit.pipeline("rollup").readLines(line("e-1"));
    }

    private static String line(String id) {
      return Events.event(id, "k", Times.at("10:00:05"), 1).toJson();
    }
  }
}
