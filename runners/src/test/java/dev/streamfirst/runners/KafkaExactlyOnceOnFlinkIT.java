package dev.streamfirst.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.conformance.JobOutput;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What {@link KafkaExactlyOnceCheck} lets through on Flink works: a live rollup on FlinkRunner
 * {@code [local]}, reading an endless generator, commits every row to a real broker exactly once.
 * The rows of the windows that close early on must be those DirectRunner writes to files for the
 * same events (there, the generator stops after enough of them); the test waits for them, looks
 * again after several more checkpoints to see that nothing was committed twice, and cancels the
 * job.
 */
public class KafkaExactlyOnceOnFlinkIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final String SOURCE =
      "--source=generator://events?rate=200&interval=100ms&start=2026-01-01T00:00:00Z&keys=5"
          + "&duplicates=0.1&malformed=0.02&seed=5";
  private static final String WINDOW = "--window=fixed:5s";

  /** Windows ending by then are complete in both runs: the reference reads 60 s of event time. */
  private static final String CUTOFF = "2026-01-01T00:00:30";

  private static final long WAIT_FOR_ROWS_MS = TimeUnit.MINUTES.toMillis(4);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void liveFlinkJob_commitsEveryRowOnce() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = kafka.createTopic("flink-eos-rows", 2);
    Path reference = tmp.newFolder("reference").toPath();
    PipelineResult direct =
        PreparedRun.of(
                ROLLUP,
                SOURCE + "&count=600",
                WINDOW,
                "--runner=DirectRunner",
                "--sink=file://" + reference.resolve("rows"),
                "--deadLetter=file://" + reference.resolve("dead-letters"))
            .run();
    assertEquals(PipelineResult.State.DONE, direct.waitUntilFinish(Duration.standardMinutes(3)));
    List<String> expected =
        early(JobOutput.read(reference.resolve("rows"), reference.resolve("dead-letters")).rows());
    assertFalse("the reference wrote no rows before " + CUTOFF, expected.isEmpty());

    PipelineResult flink =
        PreparedRun.of(
                ROLLUP,
                SOURCE,
                WINDOW,
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                // Detached, so that this thread can watch the topic while the job runs.
                "--attachedMode=false",
                "--parallelism=2",
                "--checkpointingInterval=500",
                "--sink=kafka://"
                    + kafka.bootstrapServers()
                    + "/"
                    + topic
                    + "?delivery=exactly-once&shards=2&sinkGroup=it-"
                    + topic,
                "--deadLetter=file://" + tmp.newFolder("flink-dead-letters").toPath())
            .run();
    try {
      long deadline = System.currentTimeMillis() + WAIT_FOR_ROWS_MS;
      while (early(kafka.readValues(topic)).size() < expected.size()
          && System.currentTimeMillis() < deadline
          && !flink.getState().isTerminal()) {
        Thread.sleep(1_000);
      }
      // Several more checkpoints: a row committed twice would show now.
      Thread.sleep(3_000);
      assertEquals(expected, early(kafka.readValues(topic)));
    } finally {
      flink.cancel();
    }
  }

  /** The rows of windows that end by {@link #CUTOFF}, sorted. */
  private static List<String> early(List<String> rows) throws IOException {
    List<String> early = new ArrayList<>();
    for (String row : rows) {
      if (JSON.readTree(row).path("window_end").asText().compareTo(CUTOFF) <= 0) {
        early.add(row);
      }
    }
    early.sort(null);
    return early;
  }
}
