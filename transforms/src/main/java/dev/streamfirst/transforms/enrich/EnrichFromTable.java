package dev.streamfirst.transforms.enrich;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.Latest;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * {@link Enrich} from a whole {@link ReferenceTable} held in memory as a side input: read once, or
 * re-read every period ({@link #refreshedEvery}) or on each signal ({@link #refreshedOn}) without
 * restarting the pipeline. A change to the table is seen by elements processed after the next read.
 * A failed re-read keeps the previous copy. On a bounded input the table is read once, since
 * re-reading would keep a finished job alive. Made by {@link Enrich#fromTable}.
 *
 * <pre>{@code
 * events.apply("EnrichWithSites",
 *     Enrich.fromTable(sites).refreshedEvery(Duration.standardMinutes(10)));
 * }</pre>
 */
@AutoValue
public abstract class EnrichFromTable<T> extends Enrich<T> {
  private static final Coder<Map<String, String>> TABLE_CODER =
      MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());

  abstract ReferenceTable table();

  abstract @Nullable Duration refreshEvery();

  abstract @Nullable PCollection<?> refreshSignals();

  abstract Builder<T> toBuilder();

  static <T> EnrichFromTable<T> of(ReferenceTable table, Join<T> join) {
    return new AutoValue_EnrichFromTable.Builder<T>().setTable(table).setJoin(join).build();
  }

  @Override
  public EnrichFromTable<T> withKey(SerializableFunction<T, String> keyFn) {
    return toBuilder().setJoin(join().withKey(keyFn)).build();
  }

  @Override
  public EnrichFromTable<T> withOnMiss(OnMiss onMiss) {
    return toBuilder().setJoin(join().withOnMiss(onMiss)).build();
  }

  @Override
  public <U> EnrichFromTable<U> forElements(
      SerializableFunction<U, String> keyFn, SerializableFunction<U, String> payloadFn) {
    return new AutoValue_EnrichFromTable.Builder<U>()
        .setJoin(join().forElements(keyFn, payloadFn))
        .setTable(table())
        .setRefreshEvery(refreshEvery())
        .setRefreshSignals(refreshSignals())
        .build();
  }

  /** Re-reads the table every {@code period} (processing time) while the pipeline runs. */
  public EnrichFromTable<T> refreshedEvery(Duration period) {
    if (period == null || period.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "refreshedEvery() must be positive, got " + format(period));
    }
    return toBuilder().setRefreshEvery(period).setRefreshSignals(null).build();
  }

  /**
   * Re-reads the table each time {@code signals} (of the same pipeline) emits an element, e.g. a
   * message on a control topic; the table is also read once at the start.
   */
  public EnrichFromTable<T> refreshedOn(PCollection<?> signals) {
    if (signals == null) {
      throw new IllegalArgumentException("refreshedOn() needs a PCollection of signals, got null");
    }
    return toBuilder().setRefreshSignals(signals).setRefreshEvery(null).build();
  }

  @Override
  public Result<Enriched<T>> expand(PCollection<T> input) {
    TupleTag<Enriched<T>> enriched = new TupleTag<>(ENRICHED);
    TupleTag<DeadLetter> deadLetters = new TupleTag<>(DEAD_LETTERS);
    PCollectionView<Map<String, String>> reference =
        input.getPipeline().apply("ReadReference", new ReadReference(input.isBounded()));
    return result(
        input,
        input.apply(
            "JoinReference",
            ParDo.of(
                    new JoinReferenceFn<>(
                        reference, join().keyFn(), join().routing(), enriched, deadLetters))
                .withSideInputs(reference)
                .withOutputTags(enriched, TupleTagList.of(deadLetters))));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("reference", table().toString()).withLabel("Reference table"));
    if (refreshEvery() != null) {
      builder.add(
          DisplayData.item("refreshEvery", format(refreshEvery()))
              .withLabel("Table re-read every"));
    }
    if (refreshSignals() != null) {
      builder.add(
          DisplayData.item("refreshOn", refreshSignals().getName())
              .withLabel("Table re-read on each element of"));
    }
  }

  /** The reference table as a side input: one map of every key, the latest copy read. */
  private final class ReadReference
      extends PTransform<PBegin, PCollectionView<Map<String, String>>> {
    private final PCollection.IsBounded mainInput;

    ReadReference(PCollection.IsBounded mainInput) {
      this.mainInput = mainInput;
    }

    @Override
    public PCollectionView<Map<String, String>> expand(PBegin begin) {
      Pipeline pipeline = begin.getPipeline();
      boolean refreshing =
          refreshSignals() != null
              || (refreshEvery() != null && mainInput == PCollection.IsBounded.UNBOUNDED);
      if (!refreshing) {
        return pipeline
            .apply("Start", Impulse.create())
            .apply("ReadTable", ParDo.of(new ReadTableFn<>(table(), true)))
            .setCoder(TABLE_CODER)
            .apply("AsSideInput", View.asSingleton());
      }
      PCollection<?> ticks =
          refreshSignals() != null
              ? refreshSignals()
              : pipeline.apply(
                  "RefreshTicks", PeriodicImpulse.create().withInterval(refreshEvery()));
      PCollection<Map<String, String>> reads =
          ticks
              .apply("ReadTable", ParDo.of(new ReadTableFn<>(table(), false)))
              .setCoder(TABLE_CODER);
      if (refreshSignals() != null) {
        // Signals may come long after the start; the elements must not wait for the first one.
        PCollection<Map<String, String>> first =
            pipeline
                .apply("Start", Impulse.create())
                .apply("ReadTableAtStart", ParDo.of(new ReadTableFn<>(table(), true)))
                .setCoder(TABLE_CODER);
        reads = PCollectionList.of(first).and(reads).apply("AllReads", Flatten.pCollections());
      }
      return reads
          .apply(
              "EachRead",
              Window.<Map<String, String>>into(new GlobalWindows())
                  .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                  // Accumulating: each firing is the latest of all reads so far by refresh time,
                  // so a slower read of an earlier refresh, finishing after a later one, does
                  // not replace the newer copy. Latest keeps one copy, so this holds no more.
                  .accumulatingFiredPanes()
                  .withAllowedLateness(Duration.ZERO)
                  // An empty final pane would make the latest copy null.
                  .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY))
          .apply("WithReadTime", Reify.timestamps())
          .apply(
              "LatestRead",
              Combine.globally(Latest.<Map<String, String>>combineFn()).withoutDefaults())
          .setCoder(TABLE_CODER)
          // The view holds the last pane only: each firing above is already the whole answer.
          .apply(
              "LatestCopy",
              Window.<Map<String, String>>into(new GlobalWindows())
                  .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                  .discardingFiredPanes()
                  .withAllowedLateness(Duration.ZERO))
          .apply("AsSideInput", View.asSingleton());
    }
  }

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setJoin(Join<T> join);

    abstract Builder<T> setTable(ReferenceTable table);

    abstract Builder<T> setRefreshEvery(@Nullable Duration every);

    abstract Builder<T> setRefreshSignals(@Nullable PCollection<?> signals);

    abstract EnrichFromTable<T> build();
  }
}
