package dev.streamfirst.runners.conformance;

import java.util.List;

/** The suite on DirectRunner as the launcher runs it: checks off, parallel, non-blocking. */
public class DirectRunnerConformanceTest extends ConformanceSuite {
  public DirectRunnerConformanceTest(ConformanceCase testCase) {
    super(testCase);
  }

  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=DirectRunner");
  }
}
