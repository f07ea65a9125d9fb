package dev.streamfirst.transforms.windowing;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.DeadLetterCoder;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.parallelism.JobParallelism;
import dev.streamfirst.transforms.parallelism.Shards;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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
 * final pane, whatever the policy (the aggregations emit no row for a pane that holds nothing, as
 * the last pane of discarding panes can). The global window on an unbounded input needs early
 * firings: it closes only when the input ends, so without them it would never fire, and it is
 * refused.
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
          "withAllowedLateness() must be zero or positive, got "
              + (lateness == null ? "null" : Durations.format(lateness)));
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
    return new AutoValue_EventWindows_WithLateData<>(this, payloadFn, 0);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    refuseNeverFiring(input);
    return input.apply("AssignWindows", window());
  }

  /**
   * The global window ends only when the input does, so on an unbounded input a policy without
   * early firings would never emit anything.
   */
  void refuseNeverFiring(PCollection<T> input) {
    if (spec().kind() == WindowSpec.Kind.GLOBAL
        && input.isBounded() == PCollection.IsBounded.UNBOUNDED
        && !trigger().hasEarlyFirings()) {
      throw new IllegalArgumentException(
          "window global on an unbounded input with trigger '"
              + trigger()
              + "' would never fire: the global window closes only when the input ends. Add"
              + " early firings, e.g. withTrigger(TriggerPolicy.onTimeOnly()"
              + ".withEarlyFiringsEvery(Duration.standardMinutes(1))) (--earlyFiringsEvery=1m or"
              + " --earlyFiringsEveryCount=N), or use a windowed spec such as fixed:1m");
    }
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
    /** How many state keys the lateness check is spread over when the parallelism is unknown. */
    static final int DEFAULT_SHARDS = 16;

    /** State keys per parallel worker, so that keys spread over workers evenly enough. */
    static final int SHARDS_PER_WORKER = 4;

    static final int MAX_SHARDS = 4096;

    abstract EventWindows<T> windows();

    abstract SerializableFunction<T, String> payloadFn();

    /** Zero: from the job's parallelism where the options give it, else {@link #DEFAULT_SHARDS}. */
    abstract int shards();

    /**
     * Spreads the lateness check over {@code shards} state keys (each runs one watermark clock)
     * instead of a number derived from the job's parallelism.
     */
    public WithLateData<T> withLateCheckShards(int shards) {
      if (shards < 1 || shards > MAX_SHARDS) {
        throw new IllegalArgumentException(
            "withLateCheckShards() must be between 1 and " + MAX_SHARDS + ", got " + shards);
      }
      return new AutoValue_EventWindows_WithLateData<>(windows(), payloadFn(), shards);
    }

    /**
     * {@value #SHARDS_PER_WORKER} per worker of the parallelism the options ask for (Flink's {@code
     * parallelism}, capped by its {@code maxParallelism}; Dataflow's {@code maxNumWorkers} or
     * {@code numWorkers}; the DirectRunner's {@code targetParallelism}), at least {@value
     * #DEFAULT_SHARDS}. Only options set explicitly are known at construction; others give the
     * default. The runners' option classes are not on this module's classpath, so the options are
     * read through their JSON form.
     */
    static int shardsFor(PipelineOptions options) {
      JobParallelism job = JobParallelism.of(options);
      long shards =
          Math.max(DEFAULT_SHARDS, Math.min(MAX_SHARDS, job.workers() * SHARDS_PER_WORKER));
      if (job.maxParallelism() > 0) {
        shards = Math.min(shards, job.maxParallelism());
      }
      return (int) shards;
    }

    @Override
    public Result<T> expand(PCollection<T> input) {
      if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
        throw new IllegalArgumentException(
            "withLateDeadLetters() needs input that is not windowed yet (it is windowed by "
                + input.getWindowingStrategy().getWindowFn()
                + "): apply EventWindows instead of that windowing");
      }
      windows().refuseNeverFiring(input);
      int shards = shards() > 0 ? shards() : shardsFor(input.getPipeline().getOptions());
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
      // A null value is a shard's seed (see SplitLateFn): it starts the shard's watermark clock
      // before any data arrives.
      KvCoder<Integer, T> shardedCoder = KvCoder.of(VarIntCoder.of(), NullableCoder.of(coder));
      PCollection<KV<Integer, T>> sharded =
          input
              .apply("ShardForLateCheck", ParDo.of(new ShardByTimestampFn<>(shards)))
              .setCoder(shardedCoder);
      PCollection<KV<Integer, T>> seeds =
          input
              .getPipeline()
              .apply("LateCheckStart", Impulse.create())
              .apply("SeedEveryShard", ParDo.of(new SeedShardsFn<T>(shards)))
              .setCoder(shardedCoder);
      PCollectionTuple split =
          PCollectionList.of(sharded)
              .and(seeds)
              .apply("WithSeeds", Flatten.pCollections())
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
      if (shards() > 0) {
        builder.add(DisplayData.item("lateCheckShards", shards()).withLabel("Lateness check keys"));
      }
    }
  }

  /**
   * Spreads elements over the lateness check's state keys by a full mix of the timestamp: times of
   * one resolution (whole seconds, whole minutes) share their low bits, so the plain value (or
   * {@code Long.hashCode}) put them on one or two keys of sixteen.
   */
  private static final class ShardByTimestampFn<T> extends DoFn<T, KV<Integer, T>> {
    private final int shards;

    ShardByTimestampFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(
        @Element T element, @Timestamp Instant timestamp, OutputReceiver<KV<Integer, T>> out) {
      out.output(KV.of(Shards.of(timestamp.getMillis(), shards), element));
    }
  }

  /** One seed, a null value, for every shard of the lateness check. */
  private static final class SeedShardsFn<T> extends DoFn<byte[], KV<Integer, T>> {
    private final int shards;

    SeedShardsFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<Integer, T>> out) {
      for (int shard = 0; shard < shards; shard++) {
        out.output(KV.of(shard, null));
      }
    }
  }
}
