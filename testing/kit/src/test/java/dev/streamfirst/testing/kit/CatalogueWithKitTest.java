package dev.streamfirst.testing.kit;

import static dev.streamfirst.testing.kit.Events.event;
import static dev.streamfirst.testing.kit.Events.stream;
import static dev.streamfirst.testing.kit.ExpectedRow.row;
import static dev.streamfirst.testing.kit.Times.at;
import static dev.streamfirst.testing.kit.Times.minutes;
import static dev.streamfirst.testing.kit.Times.seconds;
import static dev.streamfirst.testing.kit.Times.window;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every catalogued pipeline runs under the kit; processing-time panes are testable. */
public class CatalogueWithKitTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @Rule public final PipelineKitRule kit = new PipelineKitRule();

  @Test
  public void everyCataloguedPipeline_runsWithItsSourceSwappedAndOutputsCaptured()
      throws Exception {
    Path accounts = TMP.newFile("accounts.jsonl").toPath();
    Files.writeString(
        accounts, "{\"account_id\":\"k\",\"country\":\"FR\"}\n", StandardCharsets.UTF_8);
    for (PipelineDefinition<?> definition : PipelineCatalog.all()) {
      PipelineUnderTest<?> pipeline = kit.pipeline(definition);
      if (definition.name().equals("transactions")) {
        // Reference data is read as configured: the kit swaps the event source only.
        pipeline.withArgs("--reference=" + accounts.toUri() + "?key=account_id");
      }
      PipelineRun run =
          pipeline.readLines(event("e-1", "k", at("10:00:05"), 1).toJson(), "not json");
      assertThat(definition.name(), run.outputs(), hasItems(PipelineRun.DEAD_LETTERS));
      run.deadLetters().inStage("parse").hasPayloads("not json");
      run.run();
    }
  }

  @Test
  public void processingTime_firesEarlyPane_thenOnTime() {
    IntervalWindow ten = window(at("10:00"), minutes(1));
    PipelineRun run =
        kit.pipeline("rollup")
            .withArgs("--window=fixed:1m", "--earlyFiringsEvery=10s")
            .readFrom(
                stream()
                    .add(event("e-1", "u1", at("10:00:05"), 1))
                    // Event-time dedup lets an event on once the watermark has passed it.
                    .advanceWatermarkTo(at("10:00:10"))
                    .advanceProcessingTime(seconds(30))
                    .add(event("e-2", "u1", at("10:00:20"), 1))
                    .advanceWatermarkTo(at("10:01:30")));
    run.rows().inEarlyPane(ten).containsRows(row("key", "u1", "count", 1, "pane", "EARLY"));
    run.rows().inOnTimePane(ten).containsRows(row("key", "u1", "count", 2, "final", true));
    run.run();
  }
}
