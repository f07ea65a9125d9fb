package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.flink.FakeFlinkRest;
import dev.streamfirst.transforms.dedup.Dedup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.portability.PortableRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** Each check's message names the option, says why the runner cannot do it, and gives the fix. */
public class RunnerChecksTest {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final String UNBOUNDED = "--source=generator://events?rate=10";

  private static UnsupportedOnRunnerException refused(String... flags) {
    return assertThrows(UnsupportedOnRunnerException.class, () -> PreparedRun.of(ROLLUP, flags));
  }

  @Test
  public void flinkOptionOnDirectRunner_isRefused_namingItsRunner() {
    UnsupportedOnRunnerException e =
        refused("--runner=DirectRunner", "--checkpointingInterval=1000");

    assertEquals("DirectRunner", e.runner());
    assertThat(
        e.problems(),
        contains(
            "--checkpointingInterval=1000: this is a FlinkRunner option and DirectRunner would"
                + " silently ignore it; drop it, or run with --runner=FlinkRunner"));
    assertThat(e.getMessage(), startsWith("cannot run this on DirectRunner:\n  --checkpointing"));
  }

  @Test
  public void dataflowOptionOnFlink_isRefused() {
    UnsupportedOnRunnerException e =
        refused("--runner=FlinkRunner", "--flinkMaster=[local]", "--region=europe-west1");

    assertThat(
        e.getMessage(),
        containsString("--region=europe-west1: this is a DataflowRunner option and FlinkRunner"));
  }

  @Test
  public void checkpointsAndSavepoints_onABoundedFlinkJob_needStreaming() {
    UnsupportedOnRunnerException e =
        refused(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--checkpointingInterval=1000",
            "--savepointPath=/tmp/savepoint-1");

    assertEquals(2, e.problems().size());
    for (String problem : e.problems()) {
      assertThat(problem, containsString("only streaming jobs use this"));
      assertThat(problem, containsString("add --streaming=true"));
    }
    assertThat(e.problems().get(1), startsWith("--savepointPath=/tmp/savepoint-1: "));
  }

  @Test
  public void checkpoints_onABoundedFlinkJob_runWithStreaming() {
    PreparedRun run =
        PreparedRun.of(
            ROLLUP,
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--checkpointingInterval=1000",
            "--streaming=true");

    assertThat(RunnerChecks.standard().problems(run.plan()), empty());
  }

  @Test
  public void collectionEnvironment_refusesAnUnboundedSource() {
    UnsupportedOnRunnerException e =
        refused("--runner=FlinkRunner", "--flinkMaster=[collection]", UNBOUNDED);

    assertThat(
        e.getMessage(),
        containsString(
            "--flinkMaster=[collection]: Flink's collection environment runs batch jobs only, and"
                + " this pipeline has an unbounded source; use --flinkMaster=[local]"));
  }

  @Test
  public void unknownStateBackend_isRefused_namingTheKnownOnes() {
    UnsupportedOnRunnerException e =
        refused("--runner=FlinkRunner", "--flinkMaster=[local]", UNBOUNDED, "--stateBackend=ram");

    assertThat(
        e.getMessage(),
        containsString(
            "--stateBackend=ram: FlinkRunner knows 'hashmap' (state on the heap; Beam calls it"
                + " 'filesystem') and 'rocksdb'"));
  }

  @Test
  public void clusterThatIsNotRunning_isRefused_sayingHowToStartOne() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    UnsupportedOnRunnerException e =
        refused("--runner=FlinkRunner", "--flinkMaster=localhost:" + port, "--filesToStage=x.jar");

    assertThat(
        e.getMessage(),
        containsString(
            "--flinkMaster=localhost:"
                + port
                + ": no Flink cluster answers there; start one with './streamfirst flink start'"));
  }

  @Test
  public void moreParallelismThanTheClusterHasSlots_isRefused() throws IOException {
    try (FakeFlinkRest cluster = FakeFlinkRest.start()) {
      cluster.answer("GET /overview", 200, "{\"taskmanagers\":1,\"slots-total\":2}");

      UnsupportedOnRunnerException e =
          refused(
              "--runner=FlinkRunner",
              "--flinkMaster=" + cluster.address(),
              "--filesToStage=x.jar",
              "--parallelism=4");

      assertThat(
          e.getMessage(),
          containsString(
              "--parallelism=4: the Flink cluster at "
                  + cluster.address()
                  + " has 2 task slots, so the job would wait for slots that never come; use"
                  + " --parallelism=2"));
    }
  }

  @Test
  public void flinkOptionsOnPortableRunner_passToItsJobServer() {
    PlannedRun run =
        planFor(
            PortableRunner.class,
            "--jobEndpoint=localhost:8099",
            "--parallelism=2",
            "--checkpointingInterval=1000",
            "--streaming=true");

    assertThat(RunnerChecks.standard().problems(run), empty());
  }

  @Test
  public void dataflowOptionOnPortableRunner_isRefused() {
    PlannedRun run =
        planFor(PortableRunner.class, "--jobEndpoint=localhost:8099", "--region=europe-west1");

    assertThat(
        RunnerChecks.optionsOfAnotherRunner(run),
        contains(
            "--region=europe-west1: this is a DataflowRunner option and PortableRunner would"
                + " silently ignore it; drop it, or run with --runner=DataflowRunner"));
  }

  @Test
  public void portableRunnerWithoutAJobServer_isRefused_sayingWhichOptionNamesOne() {
    assertThat(
        RunnerChecks.portableRunnerNeedsAJobServer(planFor(PortableRunner.class)),
        contains(
            "--runner=PortableRunner: it submits the job to a job server and none was named; add"
                + " --jobEndpoint=host:port of a running job server (e.g. a Flink job server's job"
                + " port), or run with --runner=FlinkRunner"));
  }

  @Test
  public void dataflowUpdate_ofABatchJob_isRefused() {
    PlannedRun run = planFor(DataflowRunner.class, "--update");

    assertThat(
        RunnerChecks.dataflowUpdateNeedsStreaming(run),
        contains(
            "--update: Dataflow updates only streaming jobs in place, and this pipeline's sources"
                + " are all bounded (a batch job); drop --update and start a new job"));
  }

  @Test
  public void dataflowUpdate_ofAStreamingJob_passes() {
    assertThat(
        RunnerChecks.dataflowUpdateNeedsStreaming(
            planFor(DataflowRunner.class, "--update", UNBOUNDED)),
        empty());
  }

  @Test
  public void addedCheck_seesThePipelinesTransforms_andIsReported() {
    // How a capability check plugs in, e.g. for a sink that needs exactly-once support.
    RunnerCheck noDedupOnDirect =
        run ->
            run.transforms().stream().anyMatch(t -> t instanceof Dedup)
                ? List.of("--runner=DirectRunner: a test check that found the Dedup step")
                : List.of();
    PreparedRun run = PreparedRun.of(ROLLUP, "--runner=DirectRunner");

    assertThat(
        RunnerChecks.standard().with(noDedupOnDirect).problems(run.plan()),
        contains("--runner=DirectRunner: a test check that found the Dedup step"));
    UnsupportedOnRunnerException e =
        assertThrows(
            UnsupportedOnRunnerException.class,
            () ->
                PreparedRun.of(
                    ROLLUP,
                    RunnerChecks.standard().with(noDedupOnDirect),
                    "--runner=DirectRunner"));
    assertThat(
        e.problems(), contains("--runner=DirectRunner: a test check that found the Dedup step"));
  }

  @Test
  public void plainRuns_passEveryCheck() {
    for (String[] flags :
        List.of(
            new String[] {"--runner=DirectRunner"},
            new String[] {"--runner=DirectRunner", UNBOUNDED},
            new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]"},
            new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", UNBOUNDED})) {
      assertThat(
          String.join(" ", flags),
          RunnerChecks.standard().problems(PreparedRun.of(ROLLUP, flags).plan()),
          empty());
    }
  }

  /** A run built on DirectRunner and then pointed at {@code runner}, to check it offline. */
  private static PlannedRun planFor(Class<? extends PipelineRunner<?>> runner, String... flags) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(flags).as(ROLLUP.optionsClass());
    options.setRunner(DirectRunner.class);
    Pipeline pipeline = ROLLUP.create(options);
    options.setRunner(runner);
    return PlannedRun.of(pipeline, flags);
  }
}
