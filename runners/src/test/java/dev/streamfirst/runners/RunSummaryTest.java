package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RunSummaryTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final Map<String, Long> COUNTERS =
      Map.of(
          StreamfirstMetrics.EVENTS_READ,
          416L,
          StreamfirstMetrics.EVENTS_VALID,
          426L,
          StreamfirstMetrics.DEAD_LETTERS,
          12L,
          StreamfirstMetrics.LATE_EVENTS,
          5L,
          StreamfirstMetrics.ROWS_WRITTEN,
          40L,
          StreamfirstMetrics.output("Rows"),
          40L,
          StreamfirstMetrics.output("Alerts"),
          3L);

  private List<String> outputs(String pipeline, String... flags) {
    return PreparedRun.of(PipelineCatalog.find(pipeline).orElseThrow(), flags).plan().outputs();
  }

  @Test
  public void outputs_areWhatEachPipelineWrites() throws IOException {
    Path accounts = tmp.newFile("accounts.jsonl").toPath();
    Files.writeString(accounts, "{\"account_id\":\"a\",\"usual_amount\":10,\"country\":\"FR\"}\n");

    assertEquals(List.of("Rows"), outputs("rollup"));
    assertEquals(List.of("Rows", "Alerts"), outputs("sensors"));
    assertEquals(List.of("Sessions"), outputs("sessions"));
    assertEquals(
        List.of("Alerts"),
        outputs("transactions", "--reference=file://" + accounts + "?key=account_id"));
  }

  @Test
  public void summary_namesEveryOutput_andCountsLateEventsApart() {
    String done =
        RunSummary.of(COUNTERS, System.nanoTime()).describe("Done", List.of("Rows", "Alerts"));

    assertThat(done, containsString("12 dead letters (5 of them late)"));
    assertThat(done, containsString("40 rows and 3 alerts written"));
    assertThat(done, not(containsString("window rows")));
  }

  @Test
  public void summaryOfAnAlertsOnlyPipeline_saysAlertsNotRows() {
    String done = RunSummary.of(COUNTERS, System.nanoTime()).describe("Done", List.of("Alerts"));

    assertThat(done, containsString(", 3 alerts written"));
    assertThat(done, not(containsString("rows")));
  }

  @Test
  public void progress_neverShowsFewerEventsReadThanValid() {
    String line =
        RunSummary.of(COUNTERS, System.nanoTime()).progressLine(List.of("Rows", "Alerts"));

    assertThat(line, containsString("read 426 · valid 426"));
    assertThat(line, containsString("· rows 40 · alerts 3"));
  }
}
