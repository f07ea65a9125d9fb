package dev.streamfirst.transforms.aggregate;

import dev.streamfirst.transforms.metrics.RowsWritten;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Per key and (session) window: how many events, the first and the last, as {@link SessionRow}s.
 * Input is each event's time under its key, already windowed, typically into sessions ({@code
 * session:30m}). The counting is a {@link CombineFn}, so runners pre-aggregate; it is exact.
 *
 * <pre>{@code
 * PCollection<SessionRow> sessions = sessionWindowedEvents
 *     .apply(MapElements.into(kvs(strings(), TypeDescriptor.of(Instant.class)))
 *         .via(e -> KV.of(e.key(), e.timestamp())))
 *     .apply("Sessions", SessionActivity.perKey());
 * }</pre>
 */
public final class SessionActivity
    extends PTransform<PCollection<KV<String, Instant>>, PCollection<SessionRow>> {

  public static SessionActivity perKey() {
    return new SessionActivity();
  }

  private SessionActivity() {}

  @Override
  public PCollection<SessionRow> expand(PCollection<KV<String, Instant>> eventTimes) {
    return eventTimes
        .apply("CombinePerKey", Combine.perKey(new CountFirstLastFn()))
        .apply("ToRows", ParDo.of(new ToRowFn()))
        .setCoder(SessionRowCoder.of());
  }

  /** Count, first and last event time (millis); first > last while empty. */
  static final class CountFirstLastFn extends CombineFn<Instant, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE};
    }

    @Override
    public long[] addInput(long[] a, Instant time) {
      a[0]++;
      a[1] = Math.min(a[1], time.getMillis());
      a[2] = Math.max(a[2], time.getMillis());
      return a;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accumulators) {
      long[] merged = createAccumulator();
      for (long[] a : accumulators) {
        merged[0] += a[0];
        merged[1] = Math.min(merged[1], a[1]);
        merged[2] = Math.max(merged[2], a[2]);
      }
      return merged;
    }

    @Override
    public long[] extractOutput(long[] a) {
      return a.clone();
    }

    @Override
    public Coder<long[]> getAccumulatorCoder(CoderRegistry registry, Coder<Instant> inputCoder) {
      return TripleCoder.INSTANCE;
    }

    @Override
    public Coder<long[]> getDefaultOutputCoder(CoderRegistry registry, Coder<Instant> inputCoder) {
      return TripleCoder.INSTANCE;
    }
  }

  private static final class TripleCoder extends AtomicCoder<long[]> {
    static final TripleCoder INSTANCE = new TripleCoder();

    @Override
    public void encode(long[] value, OutputStream out) throws IOException {
      for (long v : value) {
        VarLongCoder.of().encode(v, out);
      }
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      return new long[] {
        VarLongCoder.of().decode(in), VarLongCoder.of().decode(in), VarLongCoder.of().decode(in)
      };
    }
  }

  private static final class ToRowFn extends DoFn<KV<String, long[]>, SessionRow> {
    private final RowsWritten rows = new RowsWritten();

    @ProcessElement
    public void process(
        @Element KV<String, long[]> activity,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<SessionRow> out) {
      long[] a = activity.getValue();
      if (a[0] == 0) {
        return; // an empty discarding pane says nothing about the session
      }
      rows.emitted(window);
      out.output(
          SessionRow.of(
              activity.getKey(),
              WindowedStats.start(window),
              WindowedStats.end(window),
              a[0],
              new Instant(a[1]),
              new Instant(a[2]),
              PaneTiming.of(pane),
              pane.getIndex(),
              pane.isLast()));
    }
  }
}
