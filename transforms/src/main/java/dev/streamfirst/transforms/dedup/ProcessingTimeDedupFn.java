package dev.streamfirst.transforms.dedup;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * Processing-time dedup of an unbounded input, keyed by id: the first arrival of an id passes at
 * once, and the id is remembered until a processing-time timer a TTL later forgets it. Value state
 * and one timer per remembered id: served by every runner (Dataflow Runner v2 and Flink's portable
 * runner serve no map state in streaming), and the runner's processing time, which {@code
 * TestStream} advances, is the clock.
 */
final class ProcessingTimeDedupFn<T> extends DoFn<KV<String, T>, T> {
  private final Duration ttl;
  private final Counter dropped = StreamfirstMetrics.counter(StreamfirstMetrics.DUPLICATES_DROPPED);

  @StateId("seen")
  private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value(BooleanCoder.of());

  @TimerId("forget")
  private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  ProcessingTimeDedupFn(Duration ttl) {
    this.ttl = ttl;
  }

  @ProcessElement
  public void process(
      @Element KV<String, T> element,
      @StateId("seen") ValueState<Boolean> seen,
      @TimerId("forget") Timer forget,
      OutputReceiver<T> out) {
    if (seen.read() != null) {
      dropped.inc();
      return;
    }
    seen.write(true);
    forget.offset(ttl).setRelative();
    out.output(element.getValue());
  }

  @OnTimer("forget")
  public void onForget(@StateId("seen") ValueState<Boolean> seen) {
    seen.clear();
  }
}
