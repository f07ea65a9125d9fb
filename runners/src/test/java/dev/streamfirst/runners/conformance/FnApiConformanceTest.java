package dev.streamfirst.runners.conformance;

import java.util.List;
import org.apache.beam.runners.flink.FlinkJobServerDriver;

/**
 * The suite through the Fn API: a Flink job server in this JVM runs each job's DoFns in an SDK
 * harness ({@code LOOPBACK}: the harness runs in the submitting process and talks to the runner over
 * the Fn API), as Dataflow Runner v2 and every portable runner do. There {@code FnApiDoFnRunner}
 * runs the DoFns, not {@code SimpleDoFnRunner}: what a DoFn may read of timers and the watermark
 * differs, and a transform that relies on the classic runner's answers writes other rows here.
 */
public class FnApiConformanceTest extends ConformanceSuite {
  private static String endpoint;

  public FnApiConformanceTest(ConformanceCase testCase) {
    super(testCase);
  }

  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=PortableRunner",
        "--jobEndpoint=" + jobServer(),
        "--defaultEnvironmentType=LOOPBACK");
  }

  /** One job server per test JVM, on free ports, running jobs on an embedded Flink cluster. */
  private static synchronized String jobServer() {
    if (endpoint == null) {
      FlinkJobServerDriver driver =
          FlinkJobServerDriver.fromParams(
              new String[] {
                "--job-port=0", "--artifact-port=0", "--expansion-port=0", "--flink-master=[local]"
              });
      try {
        endpoint = driver.start();
      } catch (Exception e) {
        throw new IllegalStateException("the Flink job server did not start", e);
      }
    }
    return endpoint;
  }
}
