package dev.streamfirst.testing.kit;

import static dev.streamfirst.testing.kit.Events.event;
import static dev.streamfirst.testing.kit.Events.malformed;
import static dev.streamfirst.testing.kit.Events.stream;
import static dev.streamfirst.testing.kit.ExpectedRow.row;
import static dev.streamfirst.testing.kit.Times.at;
import static dev.streamfirst.testing.kit.Times.minutes;
import static dev.streamfirst.testing.kit.Times.window;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.testing.fuzz.MalformedPayload;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.junit.Rule;
import org.junit.Test;

/** The kit on the catalogued rollup: each scenario a user would write, and that it can fail. */
public class RollupWithKitTest {
  @Rule public final PipelineKitRule kit = new PipelineKitRule();

  private static final IntervalWindow TEN = window(at("10:00"), minutes(1));

  @Test
  public void inMemoryEvents_rowPerKeyAndWindow_malformedDeadLettered() {
    String notJson = malformed(MalformedPayload.NOT_JSON, "bad-1", at("10:00"));
    PipelineRun run =
        kit.pipeline("rollup")
            .withArgs("--window=fixed:1m")
            .readLines(
                event("e-1", "u1", at("10:00:05"), 1).toJson(),
                event("e-2", "u1", at("10:00:30"), 2).toJson(),
                event("e-2", "u1", at("10:00:30"), 2).toJson(), // re-delivered: counted once
                event("e-3", "u2", at("10:01:10"), 5).toJson(),
                notJson);
    run.rows()
        .containsRows(
            row("key", "u1", "count", 2, "sum", 3, "window_start", at("10:00")),
            row("key", "u2", "count", 1, "max", 5, "window_end", at("10:02")));
    run.rows().inOnlyPane(TEN).containsRows(row("key", "u1", "mean", 1.5));
    run.deadLetters().inStage("parse").hasPayloads(notJson);
    run.deadLetters().inStage("late").isEmpty();
    run.run();
  }

  @Test
  public void testStream_lateWithinLateness_updatesInLatePane_tooLateIsDeadLettered() {
    PipelineRun run =
        kit.pipeline("rollup")
            .withArgs("--window=fixed:1m", "--allowedLateness=5m")
            .readFrom(
                stream()
                    .add(event("e-1", "u1", at("10:00:05"), 1))
                    .advanceWatermarkTo(at("10:01:30"))
                    .add(event("e-2", "u1", at("10:00:50"), 2)) // late, within lateness
                    .advanceWatermarkTo(at("10:07:00"))
                    .add(event("e-3", "u1", at("10:00:55"), 4))); // past lateness
    run.rows().inOnTimePane(TEN).containsRows(row("key", "u1", "count", 1, "sum", 1));
    // The late event's pane, then the closing pane when the lateness runs out.
    run.rows()
        .inLatePane(TEN)
        .containsRows(
            row("key", "u1", "count", 2, "sum", 3, "final", false),
            row("key", "u1", "count", 2, "sum", 3, "final", true));
    run.rows().inFinalPane(TEN).containsRows(row("key", "u1", "count", 2, "pane_index", 2));
    run.deadLetters().inStage("late").hasCount(1);
    run.deadLetters().inStage("parse").isEmpty();
    run.run();
  }

  @Test
  public void wrongExpectation_failsRunNamingPaneExpectedAndActual() {
    PipelineRun run =
        kit.pipeline("rollup")
            .withArgs("--window=fixed:1m")
            .readFrom(stream().add(event("e-1", "u1", at("10:00:05"), 1)));
    run.rows().inOnTimePane(TEN).containsRows(row("key", "u1", "count", 7));
    AssertionError failure = assertThrows(AssertionError.class, run::run);
    assertThat(failure.getMessage(), containsString("on-time pane of " + TEN));
    assertThat(failure.getMessage(), containsString("count=7"));
    assertThat(failure.getMessage(), containsString("\"count\":1"));
  }

  @Test
  public void wrongDeadLetterCount_failsRun() {
    PipelineRun run = kit.pipeline("rollup").readLines("{}", "not json");
    run.deadLetters().inStage("parse").hasCount(1);
    AssertionError failure = assertThrows(AssertionError.class, run::run);
    assertThat(failure.getMessage(), containsString("dead letters of stage 'parse'"));
    assertThat(failure.getMessage(), containsString("expected 1 but got 2"));
  }

  @Test
  public void unknownOutput_namesTheOutputsThereAre() {
    PipelineRun run = kit.pipeline("rollup").readLines();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run.output("Alerts"));
    assertThat(e.getMessage(), containsString("[Rows, DeadLetters]"));
    run.run();
  }

  @Test
  public void unknownPipeline_namesTheCatalogue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> kit.pipeline("rolup"));
    assertThat(e.getMessage(), containsString("rollup, sensors, sessions, transactions"));
  }

  @Test
  public void sourceFlag_isRefusedWithTheReason() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> kit.pipeline("rollup").withArgs("--source=file:///tmp/in"));
    assertThat(e.getMessage(), containsString("the kit sets --source itself"));
  }

  @Test
  public void preparedButNotRun_failsVerification() {
    PipelineKit own = PipelineKit.create();
    own.pipeline("rollup").readLines("{}");
    AssertionError e = assertThrows(AssertionError.class, own::verifyAllRun);
    assertThat(e.getMessage(), containsString("never run"));
  }
}
