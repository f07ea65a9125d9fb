package dev.streamfirst.transforms.windowing;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Assigns elements to event-time windows from a {@link WindowSpec}, with allowed lateness.
 *
 * <p>Each window fires once when the watermark passes its end, then again for every late element
 * that arrives within the allowed lateness, and a last time, marked final, when the lateness runs
 * out. Panes accumulate, so every row a window emits is the complete, corrected result for it: a
 * consumer upserts by key and window and is always right.
 *
 * <pre>{@code
 * events.apply("Window", EventWindows.of(WindowSpec.parse("fixed:1m"))
 *     .withAllowedLateness(Duration.standardMinutes(2)));
 * }</pre>
 */
@AutoValue
public abstract class EventWindows<T> extends PTransform<PCollection<T>, PCollection<T>> {

  abstract WindowSpec spec();

  abstract Duration allowedLateness();

  abstract Builder<T> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setSpec(WindowSpec spec);

    abstract Builder<T> setAllowedLateness(Duration lateness);

    abstract EventWindows<T> build();
  }

  /** Windows from {@code spec}, with no allowed lateness. */
  public static <T> EventWindows<T> of(WindowSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("EventWindows.of() needs a WindowSpec, got null");
    }
    return new AutoValue_EventWindows.Builder<T>()
        .setSpec(spec)
        .setAllowedLateness(Duration.ZERO)
        .build();
  }

  /** How long after a window's end late elements still update it. */
  public EventWindows<T> withAllowedLateness(Duration lateness) {
    if (lateness == null || lateness.getMillis() < 0) {
      throw new IllegalArgumentException(
          "withAllowedLateness() must be zero or positive, got " + lateness);
    }
    return toBuilder().setAllowedLateness(lateness).build();
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply(
        "AssignWindows",
        Window.<T>into(spec().toWindowFn())
            .triggering(
                AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
            // FIRE_ALWAYS: when the lateness runs out, every window emits a last pane marked
            // final, late data or not, so a consumer always learns that a row will not change.
            .withAllowedLateness(allowedLateness(), Window.ClosingBehavior.FIRE_ALWAYS)
            .accumulatingFiredPanes());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("window", spec().toString()).withLabel("Window"))
        .add(
            DisplayData.item("allowedLateness", Durations.format(allowedLateness()))
                .withLabel("Allowed lateness"));
  }
}
