package dev.streamfirst.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** When windows emit results: on time, early, late; and whether panes accumulate. */
public interface TriggerOptions extends PipelineOptions {
  @Description(
      "Also emit early results this much processing time after a window's first element"
          + " (e.g. 10s, 1m); empty for none.")
  @Default.String("")
  String getEarlyFiringsEvery();

  void setEarlyFiringsEvery(String every);

  @Description(
      "Also emit early results every this many elements of a window (e.g. 100); 0 for none.")
  @Default.Integer(0)
  Integer getEarlyFiringsEveryCount();

  void setEarlyFiringsEveryCount(Integer count);

  @Description(
      "ACCUMULATING: each result row of a window holds everything so far (upsert by key and"
          + " window); DISCARDING: only what arrived since the window's previous row (add them up).")
  @Default.Enum("ACCUMULATING")
  Panes getPanes();

  void setPanes(Panes panes);

  /** How successive panes of a window relate. */
  enum Panes {
    ACCUMULATING,
    DISCARDING
  }
}
