package dev.streamfirst.runners.conformance;

import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.SharedFlinkCluster;
import java.util.List;

/**
 * The suite on a real Flink session cluster (a JobManager and a TaskManager in their own JVMs),
 * each job submitted with the bundled jar, as {@code ./streamfirst run ... --flinkMaster=host:port}
 * submits it. The TaskManager reads and writes the same local paths.
 */
public class FlinkClusterConformanceIT extends ConformanceSuite {
  public FlinkClusterConformanceIT(ConformanceCase testCase) {
    super(testCase);
  }

  @Override
  protected List<String> runnerFlags() {
    FlinkSessionCluster cluster = SharedFlinkCluster.get();
    return List.of(
        "--runner=FlinkRunner",
        "--flinkMaster=" + cluster.master(),
        "--filesToStage=" + SharedFlinkCluster.bundledJar(),
        "--parallelism=2");
  }
}
