package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import org.apache.beam.sdk.metrics.Counter;
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
 * Processing-time dedup of an unbounded input, keyed by group of ids: the first arrival of an id
 * passes at once. While a group remembers ids, a processing-time timer ticks every half TTL, and an
 * id is forgotten at the third tick after the one it passed in: remembered for at least the TTL and
 * at most 1.5 × TTL (less only by how late the runner fires a timer), with one timer per group
 * instead of one per id. Value state only, which every runner serves; the runner's processing time,
 * which {@code TestStream} advances, is the clock.
 */
final class ProcessingTimeDedupFn<T> extends DoFn<KV<Integer, T>, T> {
  /** Ticks after the one an id passed in until it is forgotten: three half TTLs. */
  private static final int TICKS_REMEMBERED = 3;

  private final SerializableFunction<T, String> idFn;
  private final Duration tickEvery;
  private final Counter dropped = StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);
  private transient IdDigests.Digester digester;

  @StateId("group")
  private final StateSpec<ValueState<ProcessingTimeGroup>> groupSpec =
      StateSpecs.value(ProcessingTimeGroup.ProcessingTimeGroupCoder.of());

  @TimerId("tick")
  private final TimerSpec tickSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  ProcessingTimeDedupFn(SerializableFunction<T, String> idFn, Duration ttl) {
    this.idFn = idFn;
    // Rounded up, so that two ticks are never shorter than the TTL.
    this.tickEvery = Duration.millis((ttl.getMillis() + 1) / 2);
  }

  @Setup
  public void setup() {
    digester = new IdDigests.Digester();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, T> element,
      @StateId("group") ValueState<ProcessingTimeGroup> groupState,
      @TimerId("tick") Timer tick,
      OutputReceiver<T> out) {
    IdDigests.Digest id = digester.of(idFn.apply(element.getValue()));
    ProcessingTimeGroup group = groupState.read();
    if (group == null) {
      group = new ProcessingTimeGroup();
    } else if (group.seen.get(id) != IdDigests.ABSENT) {
      dropped.inc();
      return;
    }
    if (group.seen.isEmpty()) {
      // The clock ticks only while the group remembers an id.
      tick.offset(tickEvery).setRelative();
    }
    group.seen.put(id, group.tick);
    groupState.write(group);
    out.output(element.getValue());
  }

  @OnTimer("tick")
  public void onTick(
      OnTimerContext context,
      @StateId("group") ValueState<ProcessingTimeGroup> groupState,
      @TimerId("tick") Timer tick) {
    ProcessingTimeGroup group = groupState.read();
    if (group == null) {
      return;
    }
    int now = ++group.tick;
    group.seen.removeIf(passedIn -> now - passedIn >= TICKS_REMEMBERED);
    if (group.seen.isEmpty()) {
      groupState.clear();
      return;
    }
    // Ticks keep a fixed cadence from the first one: after a stall, the overdue ticks fire at once
    // and catch up, rather than stretching every id's lifetime.
    tick.set(context.fireTimestamp().plus(tickEvery));
    groupState.write(group);
  }
}
