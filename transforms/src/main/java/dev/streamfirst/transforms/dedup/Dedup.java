package dev.streamfirst.transforms.dedup;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.parallelism.Shards;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TimestampedValue.TimestampedValueCoder;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops re-deliveries: of the elements that share an id, only the first within a TTL passes.
 *
 * <p><b>Event time</b> (the default): elements are held until the watermark passes them, then
 * decided in event-time order, so the earliest event of an id wins however the copies arrived, and
 * the result is the same on every runner and on every replay. A later event with the same id is a
 * duplicate when its event time is less than the TTL after the one that passed; at the TTL or
 * beyond it passes again. Held elements keep the watermark back, so nothing downstream becomes
 * late; with a release interval that divides the window size, dedup adds no latency to on-time
 * window results.
 *
 * <p><b>Processing time</b>: the first arrival of an id passes at once, and the id is remembered
 * for at least the TTL (and at most 1.5 × TTL) of processing time.
 *
 * <p>On an unbounded input, the ids are spread by a mixed hash over {@link #withStreamingGroups}
 * groups (default {@value #DEFAULT_STREAMING_GROUPS}), and each group keeps one state value: each
 * id that passed within the TTL costs 24 bytes ({@link IdDigests}: 128 bits of its SHA-256 and, in
 * event time, an event time; in processing time, a tick number), and in event time each element not
 * yet passed by the watermark waits in its group's value (a copy of an id that already passed is
 * dropped on arrival and costs nothing). A group has one timer that forgets its expired ids, not
 * one per id. So memory is bounded by the ids seen within a TTL (and a quarter) plus the input of
 * the last {@code maxDisorder} and release interval, and spreads over the job's whole parallelism;
 * a rescaled job finds each group where the runner put its key. Only value state and timers are
 * used, so it runs on every runner (map state is not served in streaming by Dataflow Runner v2 nor
 * by Flink's portable runner). A state backend that stores values encoded (Flink's RocksDB,
 * Dataflow) reads and writes a group's whole value per element, so there the group count should
 * keep a group to a few hundred ids: at least rate × TTL ÷ 200; on Flink's heap backend fewer
 * groups are cheaper. A bounded input is counted first, then decided in groups of ids, one pass
 * each, in at least {@value #BOUNDED_SHARDS} groups and in as many more as keep a group near {@link
 * #withBoundedGroupSize} elements: the memory one decision needs does not grow with the input (only
 * with the copies of one id, which always share a group). Apply it before windowing, so that copies
 * falling into different windows are still recognised.
 *
 * <p>An id is forgotten once the watermark is between one TTL and 1.25 TTL past the event that
 * passed (its group's forget timer fires at most every quarter TTL). A copy that arrives later than
 * that (more than that behind the watermark) can no longer be recognised and passes; downstream it
 * is late, and {@code EventWindows.withLateDeadLetters} sends it to the dead letters whenever the
 * window size plus the allowed lateness is at most the TTL.
 *
 * <pre>{@code
 * PCollection<Event> unique = events.apply("Dedup",
 *     Dedup.byId(Event::id).withTtl(Duration.standardMinutes(10)));
 * }</pre>
 */
@AutoValue
public abstract class Dedup<T> extends PTransform<PCollection<T>, PCollection<T>> {

  /** The clock that measures the TTL. */
  public enum Clock {
    EVENT_TIME,
    PROCESSING_TIME
  }

  /** The TTL when none is given, as options write it; {@link #DEFAULT_TTL} is the same value. */
  public static final String DEFAULT_TTL_TEXT = "10m";

  public static final Duration DEFAULT_TTL = Durations.parse(DEFAULT_TTL_TEXT);

  /**
   * How many groups a bounded input is decided in: enough that a backfill spreads over that many
   * workers, few enough that the DirectRunner, which pays for every group, stays fast.
   */
  public static final int BOUNDED_SHARDS = 1024;

  /**
   * On a bounded input, about how many elements one group of ids holds when it is decided: a
   * hundred thousand events of a few hundred bytes each take tens of megabytes of a worker's heap.
   */
  public static final int DEFAULT_BOUNDED_GROUP_SIZE = 100_000;

  /**
   * How many groups the ids of an unbounded input are spread over when none is given. Each group
   * has one release timer, which serves every event of the group waiting in the same slot: with
   * fewer groups than events per release interval, most events find their group's timer already
   * set. On Flink's heap backend at 10,000 events/s, 1,024 groups kept up with results about 0.7 s
   * after the watermark (p50), where 32,768 groups (a timer set and fired per event) did not keep
   * up; see docs/benchmarks.md.
   */
  public static final int DEFAULT_STREAMING_GROUPS = 1024;

  /**
   * In event time, elements are released when the watermark passes the end of their slot of this
   * length (slots are aligned to the epoch, like fixed windows). A window whose boundaries fall on
   * multiples of it, as every window of whole tenths of a second does, is not delayed at all: its
   * elements are released by the time the watermark closes it. Otherwise dedup delays a result by
   * at most this much.
   */
  public static final Duration DEFAULT_RELEASE_INTERVAL = Duration.millis(100);

  /** {@link #DEFAULT_RELEASE_INTERVAL} as options write it. */
  public static final String DEFAULT_RELEASE_INTERVAL_TEXT = "100ms";

  abstract SerializableFunction<T, String> idFn();

  abstract Duration ttl();

  abstract Clock clock();

  abstract Duration releaseInterval();

  abstract int boundedGroupSize();

  abstract int streamingGroups();

  abstract Builder<T> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setIdFn(SerializableFunction<T, String> idFn);

    abstract Builder<T> setTtl(Duration ttl);

    abstract Builder<T> setClock(Clock clock);

    abstract Builder<T> setReleaseInterval(Duration interval);

    abstract Builder<T> setBoundedGroupSize(int elements);

    abstract Builder<T> setStreamingGroups(int groups);

    abstract Dedup<T> build();
  }

  /** Deduplicates by the id that {@code idFn} returns, in event time, with a 10 minute TTL. */
  public static <T> Dedup<T> byId(SerializableFunction<T, String> idFn) {
    if (idFn == null) {
      throw new IllegalArgumentException("Dedup.byId() needs an id function, got null");
    }
    return new AutoValue_Dedup.Builder<T>()
        .setIdFn(idFn)
        .setTtl(DEFAULT_TTL)
        .setClock(Clock.EVENT_TIME)
        .setReleaseInterval(DEFAULT_RELEASE_INTERVAL)
        .setBoundedGroupSize(DEFAULT_BOUNDED_GROUP_SIZE)
        .setStreamingGroups(DEFAULT_STREAMING_GROUPS)
        .build();
  }

  /** How long after an id passes its copies are dropped. */
  public Dedup<T> withTtl(Duration ttl) {
    if (ttl == null || ttl.getMillis() <= 0) {
      throw new IllegalArgumentException("withTtl() must be positive, got " + format(ttl));
    }
    return toBuilder().setTtl(ttl).build();
  }

  /** Measures the TTL in event time and decides in event-time order (the default). */
  public Dedup<T> inEventTime() {
    return toBuilder().setClock(Clock.EVENT_TIME).build();
  }

  /** Measures the TTL with {@code clock}, e.g. the one a pipeline's options name. */
  public Dedup<T> withClock(Clock clock) {
    if (clock == null) {
      throw new IllegalArgumentException(
          "withClock() needs EVENT_TIME or PROCESSING_TIME, got null");
    }
    return toBuilder().setClock(clock).build();
  }

  /** Measures the TTL in processing time; the first arrival wins. */
  public Dedup<T> inProcessingTime() {
    return toBuilder().setClock(Clock.PROCESSING_TIME).build();
  }

  /**
   * In event time, how finely held elements are released as the watermark advances: smaller means
   * less delay, larger means fewer timers. Choose one that divides the window size.
   */
  public Dedup<T> withReleaseInterval(Duration interval) {
    if (interval == null || interval.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "withReleaseInterval() must be positive, got " + format(interval));
    }
    return toBuilder().setReleaseInterval(interval).build();
  }

  /**
   * On a bounded input in event time, about how many elements one group of ids holds in memory
   * while it is decided (the input is split into its count ÷ this many groups, and at least {@value
   * #BOUNDED_SHARDS}). All copies of one id are always in one group, so an id with more copies than
   * this makes its group larger.
   */
  public Dedup<T> withBoundedGroupSize(int elements) {
    if (elements <= 0) {
      throw new IllegalArgumentException(
          "withBoundedGroupSize() must be positive, got " + elements);
    }
    return toBuilder().setBoundedGroupSize(elements).build();
  }

  /**
   * On an unbounded input, how many groups the ids are spread over, each holding its ids in one
   * state value (default {@value #DEFAULT_STREAMING_GROUPS}). On Flink's heap backend fewer groups
   * are cheaper: a group's release timer serves all its events in a release slot, and an id costs
   * the same in a small group or a large one. On a state backend that stores values encoded
   * (Flink's RocksDB, Dataflow) an element reads and writes its group's whole value, so there
   * choose at least rate × TTL ÷ 200 (distinct ids per second times the TTL in seconds, over 200).
   * Fixed for a job's state: a job restored from a savepoint with another count would look for ids
   * in the wrong groups.
   */
  public Dedup<T> withStreamingGroups(int groups) {
    if (groups <= 0) {
      throw new IllegalArgumentException("withStreamingGroups() must be positive, got " + groups);
    }
    return toBuilder().setStreamingGroups(groups).build();
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException(
          "Dedup must be applied before windowing (its input is windowed by "
              + input.getWindowingStrategy().getWindowFn()
              + "): copies that fall into different windows would not be recognised");
    }
    Coder<T> coder = input.getCoder();
    if (clock() == Clock.EVENT_TIME && input.isBounded() == PCollection.IsBounded.BOUNDED) {
      // Everything waits until the end of a bounded input anyway: decide it all in one pass per
      // group of ids, with as many groups as keep each one small.
      PCollectionView<Long> count =
          input.apply("CountInput", Count.globally()).apply("AsSingleton", View.asSingleton());
      PCollection<T> unique =
          input
              .apply(
                  "ShardById",
                  ParDo.of(new ShardWithTimestampFn<T>(idFn(), boundedGroupSize()))
                      .withSideInput(ShardWithTimestampFn.INPUT_COUNT, count))
              .setCoder(KvCoder.of(VarIntCoder.of(), TimestampedValueCoder.of(coder)))
              .apply(
                  "DropDuplicates", new BoundedEventTimeDedup<>(idFn(), coder, ttl().getMillis()));
      // Grouping changed the timestamp combiner; downstream sees the input's windowing again.
      unique.setWindowingStrategyInternal(input.getWindowingStrategy());
      return unique;
    }
    PCollection<KV<Integer, T>> byGroup =
        input
            .apply("GroupById", ParDo.of(new GroupByIdFn<>(idFn(), streamingGroups())))
            .setCoder(KvCoder.of(VarIntCoder.of(), coder));
    DoFn<KV<Integer, T>, T> dedupFn =
        switch (clock()) {
          case EVENT_TIME -> new EventTimeDedupFn<>(idFn(), coder, ttl(), releaseInterval());
          case PROCESSING_TIME -> new ProcessingTimeDedupFn<>(idFn(), ttl());
        };
    return byGroup.apply("DropDuplicates", ParDo.of(dedupFn)).setCoder(coder);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("ttl", Durations.format(ttl())).withLabel("Dedup TTL"))
        .add(DisplayData.item("clock", clock().name()).withLabel("TTL measured in"))
        .add(
            DisplayData.item("releaseInterval", Durations.format(releaseInterval()))
                .withLabel("Event-time release interval"))
        .add(
            DisplayData.item("boundedGroupSize", boundedGroupSize())
                .withLabel("Elements per group of a bounded input"))
        .add(
            DisplayData.item("streamingGroups", streamingGroups())
                .withLabel("Groups of ids of an unbounded input"));
  }

  private static String format(Duration d) {
    return d == null ? "null" : Durations.format(d);
  }

  /** How many groups of ids a bounded input of {@code count} elements is decided in. */
  static int boundedShards(long count, int groupSize) {
    long needed = (count + groupSize - 1) / groupSize;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(BOUNDED_SHARDS, needed));
  }

  /** Keys each element by its group of ids, keeping its timestamp for after the grouping. */
  private static final class ShardWithTimestampFn<T>
      extends DoFn<T, KV<Integer, TimestampedValue<T>>> {
    static final String INPUT_COUNT = "inputCount";

    private final SerializableFunction<T, String> idFn;
    private final int groupSize;

    ShardWithTimestampFn(SerializableFunction<T, String> idFn, int groupSize) {
      this.idFn = idFn;
      this.groupSize = groupSize;
    }

    @ProcessElement
    public void process(
        @Element T element,
        @Timestamp Instant timestamp,
        @SideInput(INPUT_COUNT) Long inputCount,
        OutputReceiver<KV<Integer, TimestampedValue<T>>> out) {
      int shards = boundedShards(inputCount, groupSize);
      out.output(
          KV.of(Shards.of(idFn.apply(element), shards), TimestampedValue.of(element, timestamp)));
    }
  }

  /** Keys each element by its group of ids, for state per group. */
  private static final class GroupByIdFn<T> extends DoFn<T, KV<Integer, T>> {
    private final SerializableFunction<T, String> idFn;
    private final int groups;

    GroupByIdFn(SerializableFunction<T, String> idFn, int groups) {
      this.idFn = idFn;
      this.groups = groups;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Integer, T>> out) {
      out.output(KV.of(Shards.of(idFn.apply(element), groups), element));
    }
  }
}
