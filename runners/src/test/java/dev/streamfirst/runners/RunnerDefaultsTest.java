package dev.streamfirst.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.flink.FakeFlinkRest;
import java.io.IOException;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.junit.Test;

public class RunnerDefaultsTest {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final String UNBOUNDED = "--source=generator://events?rate=10";

  private static FlinkPipelineOptions flink(String... flags) {
    return PreparedRun.of(ROLLUP, flags).options().as(FlinkPipelineOptions.class);
  }

  @Test
  public void direct_runsWithoutTestChecks_unlessAsked() {
    DirectOptions plain =
        PreparedRun.of(ROLLUP, "--runner=DirectRunner").options().as(DirectOptions.class);
    DirectOptions asked =
        PreparedRun.of(ROLLUP, "--runner=DirectRunner", "--enforceImmutability=true")
            .options()
            .as(DirectOptions.class);

    assertFalse(plain.isBlockOnRun());
    assertFalse(plain.isEnforceImmutability());
    assertFalse(plain.isEnforceEncodability());
    assertTrue(asked.isEnforceImmutability());
  }

  @Test
  public void flinkLocal_usesEveryCore_withoutDefensiveCopies() {
    FlinkPipelineOptions options = flink("--runner=FlinkRunner", "--flinkMaster=[local]");

    assertEquals(Runtime.getRuntime().availableProcessors(), (int) options.getParallelism());
    assertTrue(options.getFasterCopy());
  }

  @Test
  public void flinkStreaming_withAnExactlyOnceSink_checkpointsOftenEnoughForItsRowsToFlow() {
    FlinkPipelineOptions eos =
        flink(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            UNBOUNDED,
            "--sink=kafka://localhost:9092/rows?delivery=exactly-once");
    FlinkPipelineOptions given =
        flink(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            UNBOUNDED,
            "--sink=kafka://localhost:9092/rows?delivery=exactly-once",
            "--checkpointingInterval=7000");

    assertEquals(
        RunnerDefaults.EXACTLY_ONCE_CHECKPOINT_INTERVAL_MS, (long) eos.getCheckpointingInterval());
    assertTrue(
        RunnerDefaults.EXACTLY_ONCE_CHECKPOINT_INTERVAL_MS < RunnerDefaults.CHECKPOINT_INTERVAL_MS);
    assertEquals(7000L, (long) given.getCheckpointingInterval());
  }

  @Test
  public void flinkStreaming_checkpointsExactlyOnce_retainedOnCancel() {
    FlinkPipelineOptions options =
        flink("--runner=FlinkRunner", "--flinkMaster=[local]", UNBOUNDED);

    assertTrue(options.as(StreamingOptions.class).isStreaming());
    assertEquals(RunnerDefaults.CHECKPOINT_INTERVAL_MS, (long) options.getCheckpointingInterval());
    assertEquals("EXACTLY_ONCE", options.getCheckpointingMode());
    assertTrue(options.isExternalizedCheckpointsEnabled());
    assertTrue(options.getRetainExternalizedCheckpointsOnCancellation());
    // Barriers overtake data held up in front of a slow step (BackpressureIT).
    assertTrue(options.getUnalignedCheckpointEnabled());
    // A source that ends (count=) must be able to finish the job even with checkpoints on.
    assertEquals(0L, (long) options.getShutdownSourcesAfterIdleMs());
    assertEquals(RunnerDefaults.STREAMING_MAX_BUNDLE_SIZE, (long) options.getMaxBundleSize());
    assertEquals(
        RunnerDefaults.STREAMING_MAX_BUNDLE_TIME_MS, (long) options.getMaxBundleTimeMills());
    assertTrue(options.getFinishBundleBeforeCheckpointing());
    // Heap state copies values before changing them only with copies on.
    assertFalse(options.getFasterCopy());
    // Elements pass between chained steps uncopied; our transforms never mutate their inputs.
    assertTrue(options.getObjectReuse());
  }

  @Test
  public void flinkBatch_keepsBeamsBundleSize() {
    FlinkPipelineOptions options = flink("--runner=FlinkRunner", "--flinkMaster=[local]");
    FlinkPipelineOptions beams = PipelineOptionsFactory.as(FlinkPipelineOptions.class);

    assertEquals(beams.getMaxBundleSize(), options.getMaxBundleSize());
  }

  @Test
  public void flinkStreaming_keepsWhatTheUserGave() {
    FlinkPipelineOptions options =
        flink(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            UNBOUNDED,
            "--checkpointingInterval=5000",
            "--checkpointingMode=AT_LEAST_ONCE",
            "--maxBundleSize=500",
            "--maxBundleTimeMills=200",
            "--finishBundleBeforeCheckpointing=false",
            "--fasterCopy=true",
            "--objectReuse=false",
            "--unalignedCheckpointEnabled=false",
            "--parallelism=1");

    assertEquals(5000L, (long) options.getCheckpointingInterval());
    assertEquals("AT_LEAST_ONCE", options.getCheckpointingMode());
    assertEquals(1, (int) options.getParallelism());
    assertEquals(500L, (long) options.getMaxBundleSize());
    assertEquals(200L, (long) options.getMaxBundleTimeMills());
    assertFalse(options.getFinishBundleBeforeCheckpointing());
    assertTrue(options.getFasterCopy());
    assertFalse(options.getObjectReuse());
    assertFalse(options.getUnalignedCheckpointEnabled());
  }

  @Test
  public void flinkStreamingAtLeastOnce_keepsAlignedCheckpoints() {
    // Flink takes unaligned checkpoints only in exactly-once mode.
    FlinkPipelineOptions options =
        flink(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            UNBOUNDED,
            "--checkpointingMode=AT_LEAST_ONCE");

    assertFalse(options.getUnalignedCheckpointEnabled());
  }

  @Test
  public void flinkBatch_takesNoCheckpoints() {
    FlinkPipelineOptions options = flink("--runner=FlinkRunner", "--flinkMaster=[local]");

    assertFalse(options.as(StreamingOptions.class).isStreaming());
    assertEquals(-1L, (long) options.getCheckpointingInterval());
  }

  @Test
  public void hashmapStateBackend_isBeamsFilesystemBackend_storedUnderDotFlink() {
    FlinkPipelineOptions options =
        flink("--runner=FlinkRunner", "--flinkMaster=[local]", UNBOUNDED, "--stateBackend=HashMap");

    assertEquals("filesystem", options.getStateBackend());
    assertEquals(
        ProjectRoot.flinkHome().resolve("checkpoints").toUri().toString(),
        options.getStateBackendStoragePath());
  }

  @Test
  public void rocksdb_keepsTheGivenStoragePath() {
    FlinkPipelineOptions options =
        flink(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            UNBOUNDED,
            "--stateBackend=rocksdb",
            "--stateBackendStoragePath=file:///tmp/checkpoints");

    assertEquals("rocksdb", options.getStateBackend());
    assertEquals("file:///tmp/checkpoints", options.getStateBackendStoragePath());
  }

  @Test
  public void flinkCluster_getsTheClustersSlots_andIsSubmittedDetached() throws IOException {
    try (FakeFlinkRest cluster = FakeFlinkRest.start()) {
      cluster.answer("GET /overview", 200, "{\"taskmanagers\":1,\"slots-total\":3}");

      FlinkPipelineOptions options =
          flink(
              "--runner=FlinkRunner", "--flinkMaster=" + cluster.address(), "--filesToStage=a.jar");

      assertEquals(3, (int) options.getParallelism());
      assertFalse(options.getAttachedMode());
      assertEquals(List.of("a.jar"), options.getFilesToStage());
      assertTrue(RunnerDefaults.outlivesLauncher(options));
      assertEquals(cluster.address(), RunnerDefaults.flinkCluster(options).orElseThrow());
    }
  }

  @Test
  public void embeddedFlink_isNotACluster() {
    FlinkPipelineOptions options = flink("--runner=FlinkRunner", "--flinkMaster=[local]");

    assertTrue(RunnerDefaults.flinkCluster(options).isEmpty());
    assertFalse(RunnerDefaults.outlivesLauncher(options));
    assertNull(options.getStateBackend());
  }
}
