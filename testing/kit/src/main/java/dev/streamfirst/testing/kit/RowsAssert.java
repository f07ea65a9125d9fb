package dev.streamfirst.testing.kit;

import java.util.Arrays;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;

/**
 * Assertions on the rows one output of a {@link PipelineRun} wrote, as JSON objects: in every
 * window and pane, or in one pane of one window. Each assertion is checked when the run runs.
 *
 * <pre>{@code
 * IntervalWindow minute = window(at("10:00"), minutes(1));
 * run.rows().inOnTimePane(minute).containsRows(row("key", "k", "count", 1));
 * run.rows().inLatePane(minute).containsRows(row("key", "k", "count", 2));
 * run.rows().inFinalPane(minute).containsRows(row("key", "k", "count", 2));
 * }</pre>
 */
public final class RowsAssert {
  /** Which of the rows an assertion is about. */
  enum Selection {
    ALL,
    WINDOW,
    ON_TIME_PANE,
    LATE_PANE,
    EARLY_PANE,
    FINAL_PANE,
    ONLY_PANE
  }

  private final PipelineRun run;
  private final String output;
  private final PCollection<String> rows;
  private final Selection selection;
  private final BoundedWindow window;

  RowsAssert(
      PipelineRun run,
      String output,
      PCollection<String> rows,
      Selection selection,
      BoundedWindow window) {
    this.run = run;
    this.output = output;
    this.rows = rows;
    this.selection = selection;
    this.window = window;
  }

  /** Rows of {@code window}, from every pane. */
  public RowsAssert inWindow(BoundedWindow window) {
    return select(Selection.WINDOW, window);
  }

  /** Rows of the pane fired when the watermark passed the end of {@code window}. */
  public RowsAssert inOnTimePane(BoundedWindow window) {
    return select(Selection.ON_TIME_PANE, window);
  }

  /** Rows of the panes fired for data that arrived after {@code window}'s on-time pane. */
  public RowsAssert inLatePane(BoundedWindow window) {
    return select(Selection.LATE_PANE, window);
  }

  /** Rows of the panes fired before the watermark reached the end of {@code window}. */
  public RowsAssert inEarlyPane(BoundedWindow window) {
    return select(Selection.EARLY_PANE, window);
  }

  /** Rows of the last pane of {@code window}: its final answer. */
  public RowsAssert inFinalPane(BoundedWindow window) {
    return select(Selection.FINAL_PANE, window);
  }

  /** Rows of {@code window}'s only pane; fails when the window fired more than once. */
  public RowsAssert inOnlyPane(BoundedWindow window) {
    return select(Selection.ONLY_PANE, window);
  }

  /** Exactly these rows (each names the fields it checks), in any order. */
  public void containsRows(ExpectedRow... expected) {
    String where = describe();
    PAssert.IterableAssert<String> check = selected(where);
    check.satisfies(new RowsCheck(where, Arrays.asList(expected)));
  }

  /** No rows at all in this selection. */
  public void isEmpty() {
    containsRows();
  }

  private PAssert.IterableAssert<String> selected(String where) {
    run.checkNotRun("assert on " + where);
    PAssert.IterableAssert<String> all = PAssert.that(rows);
    return switch (selection) {
      case ALL -> all;
      case WINDOW -> all.inWindow(window);
      case ON_TIME_PANE -> all.inOnTimePane(window);
      case LATE_PANE -> all.inLatePane(window);
      case EARLY_PANE -> all.inEarlyPane(window);
      case FINAL_PANE -> all.inFinalPane(window);
      case ONLY_PANE -> all.inOnlyPane(window);
    };
  }

  private RowsAssert select(Selection next, BoundedWindow window) {
    if (window == null) {
      throw new IllegalArgumentException(
          "a pane selection needs a window, e.g. window(at(\"10:00\"), minutes(1))");
    }
    if (selection != Selection.ALL) {
      throw new IllegalStateException(
          "rows are already selected ("
              + describe()
              + "); start again from run.rows() or run.output(name)");
    }
    return new RowsAssert(run, output, rows, next, window);
  }

  private String describe() {
    String rowsOf = "rows of '" + output + "'";
    return switch (selection) {
      case ALL -> rowsOf + " (all windows and panes)";
      case WINDOW -> rowsOf + " in window " + window;
      case ON_TIME_PANE -> rowsOf + " in the on-time pane of " + window;
      case LATE_PANE -> rowsOf + " in the late panes of " + window;
      case EARLY_PANE -> rowsOf + " in the early panes of " + window;
      case FINAL_PANE -> rowsOf + " in the final pane of " + window;
      case ONLY_PANE -> rowsOf + " in the only pane of " + window;
    };
  }
}
