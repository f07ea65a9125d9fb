package dev.streamfirst.runners.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A live rollup on FlinkRunner {@code [local]} fires its windows while it runs, also when it has to
 * share the CPU: then input queues up in front of every step, and the watermark must still get
 * through. With FlinkRunner's own operators and bundle settings it did not here, for minutes: its
 * steps pass the watermark on only when a bundle ends by count. The launcher submits through {@code
 * CorrectedFlinkRunner}, whose steps pass it on whenever a bundle ends, with real bundles of up to
 * 1000 elements or 50 ms: that is what this checks. ({@code WatermarkAfterBundleFactoryTest} pins
 * the race itself, step by step.)
 *
 * <p>Events are 100 ms apart in event time, in order, without copies or malformed ones, so each
 * 5-second window holds exactly 50 of them, whatever the keys; they come at 200 a second.
 */
public class FlinkWatermarkUnderContentionIT {
  private static final PipelineDefinition<?> ROLLUP = PipelineCatalog.find("rollup").orElseThrow();
  private static final String SOURCE =
      "--source=generator://events?rate=200&interval=100ms&start=2026-01-01T00:00:00Z&keys=5"
          + "&duplicates=0&disorder=0s&late=0&malformed=0&seed=11";
  private static final int EVENTS_PER_WINDOW = 50;

  /** The windows ending by then must all have fired: six of them. */
  private static final String CUTOFF = "2026-01-01T00:00:30.000Z";

  private static final int WINDOWS = 6;

  /** The source reaches the cutoff in 1.5 s; a stalled watermark took minutes. */
  private static final long WAIT_FOR_ROWS_MS = TimeUnit.SECONDS.toMillis(90);

  /** Busy threads competing with the job, as other work on a shared machine does. */
  private static final int BUSY_THREADS = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void windowsFire_whileTheJobSharesTheCpu() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String topic = kafka.createTopic("flink-contention-rows", 1);
    AtomicBoolean busy = new AtomicBoolean(true);
    List<Thread> spinners = new ArrayList<>();
    for (int i = 0; i < BUSY_THREADS; i++) {
      Thread spinner = new Thread(() -> spin(busy), "busy-" + i);
      spinner.setDaemon(true);
      spinner.start();
      spinners.add(spinner);
    }
    PipelineResult flink = null;
    Map<String, Long> countPerWindow = Map.of();
    try {
      flink =
          PreparedRun.of(
                  ROLLUP,
                  SOURCE,
                  "--window=fixed:5s",
                  "--runner=FlinkRunner",
                  "--flinkMaster=[local]",
                  "--attachedMode=false",
                  "--parallelism=2",
                  "--checkpointingInterval=500",
                  "--sink=kafka://" + kafka.bootstrapServers() + "/" + topic,
                  "--deadLetter=file://" + tmp.newFolder("dead-letters").toPath())
              .run();
      long deadline = System.currentTimeMillis() + WAIT_FOR_ROWS_MS;
      while (!countPerWindow.equals(expected())
          && System.currentTimeMillis() < deadline
          && !flink.getState().isTerminal()) {
        Thread.sleep(1_000);
        countPerWindow = countPerEarlyWindow(kafka.readValues(topic));
      }
      assertFalse("the job ended: " + flink.getState(), flink.getState().isTerminal());
    } finally {
      busy.set(false);
      for (Thread spinner : spinners) {
        spinner.join();
      }
      if (flink != null) {
        flink.cancel();
      }
    }
    assertEquals(
        "events per window, over all keys, of the windows ending by " + CUTOFF,
        expected(),
        countPerWindow);
  }

  private static void spin(AtomicBoolean busy) {
    while (busy.get()) {
      Thread.onSpinWait();
    }
  }

  /** The event count of each window ending by {@link #CUTOFF}, summed over its keys' rows. */
  private static Map<String, Long> countPerEarlyWindow(List<String> rows) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (String row : rows) {
      JsonNode node = JSON.readTree(row);
      String end = node.path("window_end").asText();
      if (end.compareTo(CUTOFF) <= 0) {
        counts.merge(end, node.path("count").asLong(), Long::sum);
      }
    }
    return counts;
  }

  private static Map<String, Long> expected() {
    Map<String, Long> expected = new TreeMap<>();
    for (int w = 1; w <= WINDOWS; w++) {
      expected.put(String.format("2026-01-01T00:00:%02d.000Z", w * 5), (long) EVENTS_PER_WINDOW);
    }
    return expected;
  }
}
