package dev.streamfirst.transforms.windowing;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.DeadLetterCoder;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Assigns elements to event-time windows from a {@link WindowSpec}, fires them by a {@link
 * TriggerPolicy}, and keeps late data within the allowed lateness.
 *
 * <p>By default each window fires once when the watermark passes its end, then again for every late
 * element that arrives within the allowed lateness, and a last time, marked final, when the
 * lateness runs out. Panes accumulate, so every row a window emits is the complete, corrected
 * result for it: a consumer upserts by key and window and is always right. Every window ends with a
 * final pane, whatever the policy.
 *
 * <p>Beam drops data that arrives after a window's allowed lateness with nothing but a runner
 * metric. {@link #withLateDeadLetters} keeps it instead: such elements come out as dead letters
 * with stage {@value #LATE_STAGE}, with their payload, and are counted.
 *
 * <pre>{@code
 * Result<Event> windowed = events.apply("Window",
 *     EventWindows.<Event>of(WindowSpec.parse("fixed:1m"))
 *         .withAllowedLateness(Duration.standardMinutes(2))
 *         .withTrigger(TriggerPolicy.onTimeOnly().withEarlyFiringsEveryCount(100))
 *         .withLateDeadLetters(Event::payload));
 * windowed.output();       // PCollection<Event>, windowed
 * windowed.deadLetters();  // PCollection<DeadLetter>, stage "late"
 * }</pre>
 */
@AutoValue
public abstract class EventWindows<T> extends PTransform<PCollection<T>, PCollection<T>> {
  /** The dead-letter stage of elements that arrive after their windows closed. */
  public static final String LATE_STAGE = "late";

  abstract WindowSpec spec();

  abstract Duration allowedLateness();

  abstract TriggerPolicy trigger();

  abstract Builder<T> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setSpec(WindowSpec spec);

    abstract Builder<T> setAllowedLateness(Duration lateness);

    abstract Builder<T> setTrigger(TriggerPolicy trigger);

    abstract EventWindows<T> build();
  }

  /** Windows from {@code spec}, with no allowed lateness, fired on time only. */
  public static <T> EventWindows<T> of(WindowSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("EventWindows.of() needs a WindowSpec, got null");
    }
    return new AutoValue_EventWindows.Builder<T>()
        .setSpec(spec)
        .setAllowedLateness(Duration.ZERO)
        .setTrigger(TriggerPolicy.onTimeOnly())
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

  /** When windows fire, and whether their panes accumulate. */
  public EventWindows<T> withTrigger(TriggerPolicy trigger) {
    if (trigger == null) {
      throw new IllegalArgumentException(
          "withTrigger() needs a policy, e.g. TriggerPolicy.onTimeOnly(), got null");
    }
    return toBuilder().setTrigger(trigger).build();
  }

  /**
   * Sends elements that arrive after all their windows have closed (window end + allowed lateness
   * is behind the watermark) to dead letters with stage {@value #LATE_STAGE}, {@code payloadFn}
   * giving each one's payload, instead of letting Beam drop them. Apply it to input that is not
   * windowed yet. A bounded input has no late data (its watermark reaches the end only after all of
   * it is read), so there the check is left out.
   */
  public WithLateData<T> withLateDeadLetters(SerializableFunction<T, String> payloadFn) {
    if (payloadFn == null) {
      throw new IllegalArgumentException(
          "withLateDeadLetters() needs a payload function, e.g. Event::payload, got null");
    }
    return new AutoValue_EventWindows_WithLateData<>(this, payloadFn);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply("AssignWindows", window());
  }

  Window<T> window() {
    Window<T> window =
        Window.<T>into(spec().toWindowFn())
            .triggering(trigger().toTrigger())
            // FIRE_ALWAYS: when the lateness runs out, every window emits a last pane marked
            // final, late data or not, so a consumer always learns that a row will not change.
            .withAllowedLateness(allowedLateness(), Window.ClosingBehavior.FIRE_ALWAYS);
    return trigger().panes() == TriggerPolicy.Panes.ACCUMULATING
        ? window.accumulatingFiredPanes()
        : window.discardingFiredPanes();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("window", spec().toString()).withLabel("Window"))
        .add(
            DisplayData.item("allowedLateness", Durations.format(allowedLateness()))
                .withLabel("Allowed lateness"))
        .add(DisplayData.item("trigger", trigger().toString()).withLabel("Trigger policy"));
  }

  /**
   * {@link EventWindows} that keeps data arriving after its windows closed as dead letters. Made by
   * {@link EventWindows#withLateDeadLetters}.
   *
   * <pre>{@code
   * Result<Event> w = events.apply("Window",
   *     EventWindows.<Event>of(WindowSpec.parse("fixed:1m")).withLateDeadLetters(Event::payload));
   * }</pre>
   */
  @AutoValue
  public abstract static class WithLateData<T> extends PTransform<PCollection<T>, Result<T>> {
    /** How many state keys the lateness check is spread over. */
    static final int SHARDS = 16;

    abstract EventWindows<T> windows();

    abstract SerializableFunction<T, String> payloadFn();

    @Override
    public Result<T> expand(PCollection<T> input) {
      if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
        throw new IllegalArgumentException(
            "withLateDeadLetters() needs input that is not windowed yet (it is windowed by "
                + input.getWindowingStrategy().getWindowFn()
                + "): apply EventWindows instead of that windowing");
      }
      Coder<T> coder = input.getCoder();
      if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
        // A bounded input's watermark reaches the end only after all of it has been read, so
        // nothing in it is late: skip the keyed lateness check and its shuffle.
        return Result.of(
            input.apply("AssignWindows", windows().window()),
            input.getPipeline().apply("NoLateData", Create.empty(DeadLetterCoder.of())));
      }
      TupleTag<T> onTime = new TupleTag<>("onTime");
      TupleTag<DeadLetter> late = new TupleTag<>("late");
      PCollectionTuple split =
          input
              .apply("ShardForLateCheck", ParDo.of(new ShardByTimestampFn<>(SHARDS)))
              .setCoder(KvCoder.of(VarIntCoder.of(), coder))
              .apply(
                  "SplitLate",
                  ParDo.of(
                          new SplitLateFn<>(
                              windows().spec(),
                              windows().allowedLateness(),
                              payloadFn(),
                              onTime,
                              late))
                      .withOutputTags(onTime, TupleTagList.of(late)));
      PCollection<T> windowed =
          split.get(onTime).setCoder(coder).apply("AssignWindows", windows().window());
      return Result.of(windowed, split.get(late).setCoder(DeadLetterCoder.of()));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      windows().populateDisplayData(builder);
      builder.add(DisplayData.item("lateData", "dead letters").withLabel("Data after lateness"));
    }
  }

  /** Spreads elements over the lateness check's state keys; any stable spread will do. */
  private static final class ShardByTimestampFn<T> extends DoFn<T, KV<Integer, T>> {
    private final int shards;

    ShardByTimestampFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(
        @Element T element, @Timestamp Instant timestamp, OutputReceiver<KV<Integer, T>> out) {
      out.output(KV.of(Math.floorMod(Long.hashCode(timestamp.getMillis()), shards), element));
    }
  }
}
