package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * Processing-time dedup of one shard of ids.
 *
 * <p>Processing time advances in ticks of half the TTL, on one timer per shard. An id is remembered
 * with the tick it arrived in and forgotten three ticks later: so for at least the TTL (less only
 * by how late the runner fires a timer), and at most 1.5 × TTL. Counting ticks instead of reading
 * the wall clock keeps it exact under the runner's notion of processing time, which is what {@code
 * TestStream} advances.
 */
final class ProcessingTimeDedupFn<T> extends DoFn<KV<Integer, T>, T> {
  private static final long TICKS_TO_KEEP = 3;

  private final SerializableFunction<T, String> idFn;
  private final Duration tick;
  private final Counter dropped = StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);

  /** Id → the tick in which it passed. */
  @StateId("seen")
  private final StateSpec<MapState<String, Long>> seenSpec =
      StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

  @StateId("tick")
  private final StateSpec<ValueState<Long>> tickSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("ticking")
  private final StateSpec<ValueState<Long>> tickingSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("tick")
  private final TimerSpec tickTimerSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  ProcessingTimeDedupFn(SerializableFunction<T, String> idFn, Duration ttl) {
    this.idFn = idFn;
    this.tick = Duration.millis(Math.max(1, ttl.getMillis() / 2));
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, T> element,
      @StateId("seen") MapState<String, Long> seen,
      @StateId("tick") ValueState<Long> currentTick,
      @StateId("ticking") ValueState<Long> ticking,
      @TimerId("tick") Timer tickTimer,
      OutputReceiver<T> out) {
    String id = idFn.apply(element.getValue());
    if (seen.get(id).read() != null) {
      dropped.inc();
      return;
    }
    Long now = currentTick.read();
    seen.put(id, now == null ? 0L : now);
    out.output(element.getValue());
    if (ticking.read() == null) {
      tickTimer.offset(tick).setRelative();
      ticking.write(1L);
    }
  }

  @OnTimer("tick")
  public void onTick(
      OnTimerContext context,
      @StateId("seen") MapState<String, Long> seen,
      @StateId("tick") ValueState<Long> currentTick,
      @StateId("ticking") ValueState<Long> ticking,
      @TimerId("tick") Timer tickTimer) {
    Long previous = currentTick.read();
    long now = (previous == null ? 0L : previous) + 1;
    currentTick.write(now);
    boolean anyLeft = false;
    for (Map.Entry<String, Long> id : seen.entries().read()) {
      if (now - id.getValue() >= TICKS_TO_KEEP) {
        seen.remove(id.getKey());
      } else {
        anyLeft = true;
      }
    }
    if (anyLeft) {
      // Ticks keep a fixed cadence from the first one: after a stall, the overdue ticks fire at
      // once and catch up, rather than stretching every id's lifetime.
      tickTimer.set(context.fireTimestamp().plus(tick));
    } else {
      ticking.clear();
    }
  }
}
