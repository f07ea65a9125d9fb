package dev.streamfirst.testing.kit;

import java.util.Arrays;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;

/**
 * Assertions on the dead letters of a {@link PipelineRun}, optionally of one stage ({@code parse},
 * {@code late}, ...) and one reason. Each assertion is checked when the run runs.
 *
 * <pre>{@code
 * run.deadLetters().inStage("parse").hasPayloads("not json");
 * run.deadLetters().inStage("late").withReasonContaining("window").hasCount(1);
 * }</pre>
 */
public final class DeadLettersAssert {
  private final PipelineRun run;
  private final PCollection<String> deadLetters;
  private final String stage;
  private final String reasonPart;

  DeadLettersAssert(
      PipelineRun run, PCollection<String> deadLetters, String stage, String reasonPart) {
    this.run = run;
    this.deadLetters = deadLetters;
    this.stage = stage;
    this.reasonPart = reasonPart;
  }

  /** Only the dead letters this stage refused, e.g. {@code "parse"} or {@code "late"}. */
  public DeadLettersAssert inStage(String stage) {
    if (stage == null || stage.isEmpty()) {
      throw new IllegalArgumentException("inStage() needs a stage name such as \"parse\"");
    }
    return new DeadLettersAssert(run, deadLetters, stage, reasonPart);
  }

  /** Only the dead letters whose reason ({@code error}) contains {@code text}. */
  public DeadLettersAssert withReasonContaining(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("withReasonContaining() needs some text");
    }
    return new DeadLettersAssert(run, deadLetters, stage, text);
  }

  /** Exactly this many of the selected dead letters. */
  public void hasCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("hasCount() needs zero or more, got " + count);
    }
    check(new DeadLettersCheck(stage, reasonPart, count, null));
  }

  /** Exactly these payloads (the original messages), in any order. */
  public void hasPayloads(String... payloads) {
    check(new DeadLettersCheck(stage, reasonPart, null, Arrays.asList(payloads)));
  }

  /** None of the selected dead letters. */
  public void isEmpty() {
    hasCount(0);
  }

  private void check(DeadLettersCheck check) {
    run.checkNotRun("assert on dead letters");
    PAssert.that(deadLetters).satisfies(check);
  }
}
