package dev.streamfirst.runners.conformance;

import java.util.List;

/** The suite on FlinkRunner's embedded cluster ({@code [local]}), parallelism 2. */
public class FlinkLocalConformanceTest extends ConformanceSuite {
  public FlinkLocalConformanceTest(ConformanceCase testCase) {
    super(testCase);
  }

  @Override
  protected List<String> runnerFlags() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
