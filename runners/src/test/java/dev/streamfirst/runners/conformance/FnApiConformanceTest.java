package dev.streamfirst.runners.conformance;

import java.util.List;
import org.apache.beam.runners.flink.FlinkJobServerDriver;
import org.junit.AfterClass;

/**
 * The suite through the Fn API: a Flink job server in this JVM runs each job's DoFns in an SDK
 * harness ({@code LOOPBACK}: the harness runs in the submitting process and talks to the runner
 * over the Fn API), as Dataflow Runner v2 and every portable runner do. There {@code
 * FnApiDoFnRunner} runs the DoFns, not {@code SimpleDoFnRunner}: what a DoFn may read of timers and
 * the watermark differs, and a transform that relies on the classic runner's answers writes other
 * rows here.
 *
 * <p>Each job runs as a streaming job ({@code --streaming=true}), so the late-data check and the
 * alert rules run on the runner's event-time timers and watermark holds, handed through the Fn API,
 * as on Runner v2 in streaming; over the crafted files the watermark stays back until the input is
 * read and then jumps to the end, which is where a DoFn that took a timer's time for the watermark
 * would dead-letter rows or raise a "no events" alert for every key.
 *
 * <p>The cases over the unbounded generator run here too: their streaming dedup keeps its state in
 * value and bag state, which the Fn API serves (with the earlier map state, Flink's portable runner
 * failed every one of them with {@code IllegalStateException} from {@code
 * StateRequestHandlers.handlerNotFound}: it serves bag user state only, and so does Dataflow Runner
 * v2 by Beam's capability matrix).
 */
public class FnApiConformanceTest extends ConformanceSuite {
  /** Longer than the gap between a job's tasks opening on a loaded machine; short enough to end. */
  private static final int HARNESS_KEPT_IDLE_MS = 120_000;

  private static FlinkJobServerDriver jobServer;
  private static String endpoint;

  public FnApiConformanceTest(ConformanceCase testCase) {
    super(testCase);
  }

  @Override
  protected List<String> runnerFlags() {
    return List.of(
        "--runner=PortableRunner",
        "--jobEndpoint=" + jobServer(),
        "--defaultEnvironmentType=LOOPBACK",
        // The runner shuts a job's SDK harness down as soon as no task holds it (a finished read
        // task before the next task has opened, on a loaded machine), and a LOOPBACK harness
        // started again for the same job fails: it reuses the job options' executor, which the
        // first one shut down (RejectedExecutionException in FnHarness.main), and the task waits
        // for a worker that never comes. Keeping an idle harness for a while avoids the restart.
        "--environmentCacheMillis=" + HARNESS_KEPT_IDLE_MS,
        "--streaming=true",
        "--parallelism=2");
  }

  /** One job server per test class, on free ports, running jobs on an embedded Flink cluster. */
  private static synchronized String jobServer() {
    if (endpoint == null) {
      jobServer =
          FlinkJobServerDriver.fromParams(
              new String[] {
                "--job-port=0", "--artifact-port=0", "--expansion-port=0", "--flink-master=[local]"
              });
      try {
        endpoint = jobServer.start();
      } catch (Exception e) {
        throw new IllegalStateException("the Flink job server did not start", e);
      }
    }
    return endpoint;
  }

  @AfterClass
  public static synchronized void stopJobServer() {
    if (jobServer != null) {
      jobServer.stop();
      jobServer = null;
      endpoint = null;
    }
  }
}
